package org.sinter.cli;

/**
 * A command line that cannot run as given (a bad option value, options that conflict with the run
 * being resumed): reported in one line with exit code 2, like picocli's own parse errors.
 */
public final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
