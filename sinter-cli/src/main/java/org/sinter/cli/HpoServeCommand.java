package org.sinter.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.sinter.automl.report.ExperimentServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sinter hpo serve NAME}: the experiment's live page on the loopback interface until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve an experiment's live page on 127.0.0.1 (read from its SQLite journal while `hpo run` writes it):"
                + " the trial table (sort, filter), best-so-far and intermediate-result curves, and a selected trial's log, updated"
                + " every second. Runs until interrupted.")
final class HpoServeCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "the experiment (or --experiment)")
    String name;
    @Option(names = "--experiment", description = "the experiment, as NAME")
    String experiment;
    @Option(names = "--db", defaultValue = HpoCommand.DEFAULT_DB, description = "the experiment database (default: ${DEFAULT-VALUE})")
    Path db;
    @Option(names = "--port", defaultValue = "8080", description = "port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Override
    public Integer call() throws Exception {
        if (name != null && experiment != null && !name.equals(experiment))
            throw new UsageException("give the experiment once: NAME '" + name + "' and --experiment '" + experiment + "' differ");
        String which = name != null ? name : experiment;
        if (which == null) throw new UsageException("which experiment? `sinter hpo serve NAME` (`sinter hpo list` lists them)");
        ExperimentServer server;
        try {
            server = ExperimentServer.start(db, which, db.toAbsolutePath().getParent().resolve(which), port);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } catch (java.net.BindException e) {
            throw new UsageException("--port " + port + ": " + e.getMessage() + " (another server there? --port 0 picks a free one)");
        }
        System.out.println("serving experiment '" + which + "' at " + server.uri() + " (Ctrl-C stops)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
