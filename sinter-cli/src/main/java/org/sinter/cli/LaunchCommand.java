package org.sinter.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.sinter.distributed.launch.Launcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sinter launch --nproc N <command...>}: a distributed job on this machine without
 * torchrun, mpirun or Slurm. Everything after the first positional argument is the command.
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
        description = "Run N copies of a command on this machine as one distributed job (torchrun's variables, a store, restarts).")
final class LaunchCommand implements Callable<Integer> {
    @Option(names = "--nproc", required = true, description = "number of ranks (processes) to start")
    int nproc;

    @Option(names = "--max-restarts", defaultValue = "0", description = "restart the whole job up to this many times when a rank fails (default: ${DEFAULT-VALUE})")
    int maxRestarts;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "the program each rank runs, with its arguments")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        if (nproc < 1) throw new UsageException("--nproc must be at least 1, got " + nproc);
        if (maxRestarts < 0) throw new UsageException("--max-restarts must be at least 0, got " + maxRestarts);
        return new Launcher(nproc, maxRestarts, command, System.out).run();
    }
}
