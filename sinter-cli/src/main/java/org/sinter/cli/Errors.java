package org.sinter.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How every command reports failure: one line, {@code sinter: <command>: <why>}, exit code 2 for
 * a command line that cannot run (picocli's parse errors and {@link UsageException}) and 1 for a
 * failure while running. The Java stack trace is printed only with the global {@code --debug}.
 */
final class Errors implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
    static final int USAGE = 2, FAILURE = 1;

    private final Main main;

    Errors(Main main) {
        this.main = main;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (main.debug) ex.printStackTrace(err);
        err.println("sinter: " + prefix(cmd, ex.getMessage()) + ex.getMessage());
        err.println("        (see 'sinter " + commandPath(cmd) + "--help')");
        err.flush();
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (main.debug) ex.printStackTrace(err);
        String why = describe(ex);
        err.println("sinter: " + prefix(cmd, why) + why);
        err.flush();
        return ex instanceof UsageException ? USAGE : FAILURE;
    }

    /** The command's name and ": ", unless the message already starts with it. */
    private static String prefix(CommandLine cmd, String message) {
        String name = cmd.getCommandName();
        if (cmd.getParent() == null || (message != null && message.startsWith(name + ":"))) return "";
        return name + ": ";
    }

    private static String commandPath(CommandLine cmd) {
        return cmd.getParent() == null ? "" : cmd.getCommandName() + " ";
    }

    /**
     * A one-line reason: our own messages as they are; the JDK's terse file errors with their path
     * and plain words; anything else with its type (which is all some exceptions say), followed by
     * its causes' messages where they add something.
     */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder(one(t));
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            String m = one(c);
            if (!sb.toString().contains(m)) sb.append(": ").append(m);
        }
        return sb.toString();
    }

    private static String one(Throwable t) {
        return switch (t) {
            case NoSuchFileException e -> e.getFile() + ": no such file or directory";
            case AccessDeniedException e -> e.getFile() + ": permission denied";
            case FileAlreadyExistsException e -> e.getFile() + ": already exists";
            case FileSystemException e -> e.getFile() + ": " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName());
            case OutOfMemoryError e -> "out of memory (" + e.getMessage() + "); give Java more heap with SINTER_JAVA_OPTS=-Xmx...";
            default -> t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName()
                    : (t instanceof RuntimeException && !(t instanceof IllegalArgumentException) && !(t instanceof IllegalStateException)
                            && !(t instanceof java.io.UncheckedIOException)
                            ? t.getClass().getSimpleName() + ": " + t.getMessage() : t.getMessage());
        };
    }
}
