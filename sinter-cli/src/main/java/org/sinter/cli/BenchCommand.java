package org.sinter.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sinter bench}: benchmarks that put Sinter's structures beside their baselines. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a side-by-side benchmark.",
        subcommands = {IndexBenchCommand.class, TuneBenchCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
