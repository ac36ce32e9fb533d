package org.sinter.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code sinter} command: subcommands for training, evaluation, prediction and inspection. */
@Command(name = "sinter", mixinStandardHelpOptions = true, version = "Sinter 0.1.0",
        description = "A deep learning system for the JVM.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, SampleCommand.class, CheckpointCommand.class, CompileCommand.class, SimulateCommand.class, TuneCommand.class, BenchCommand.class, LaunchCommand.class, InfoCommand.class, OnnxCommand.class,
                ServeCommand.class, PerfCommand.class, HpoCommand.class, CompressCommand.class,
                FlCommand.class, AttackCommand.class, RlCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Inherited, so it may come before or after the subcommand: {@code sinter --debug train} or {@code sinter train --debug}. */
    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "on an error, print the Java stack trace too")
    boolean debug;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with Sinter's error reporting (see {@link Errors}); tests run commands through it. */
    public static CommandLine commandLine() {
        Main main = new Main();
        Errors errors = new Errors(main);
        CommandLine cl = new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(errors).setExecutionExceptionHandler(errors);
        // `sinter launch --nproc 2 java -cp x Main`: the options after the command are the command's.
        cl.getSubcommands().get("launch").setStopAtPositional(true);
        return cl;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // Errors escape picocli's handlers; still one line, not a trace.
            System.err.println("sinter: " + Errors.describe(e));
            code = Errors.FAILURE;
        }
        System.exit(code);
    }
}
