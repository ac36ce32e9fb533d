package org.sinter.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sinter} command: subcommands for training, evaluation, prediction and inspection. */
@Command(name = "sinter", mixinStandardHelpOptions = true, version = "Sinter 0.1.0",
        description = "A deep learning system for the JVM.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, SampleCommand.class, CheckpointCommand.class, InfoCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
