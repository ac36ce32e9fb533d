package org.sinter.cli.io;

import java.io.IOException;

/** A file the command line was given cannot be read as asked; the message names the option and the file. */
public final class InputFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public InputFileException(String message) {
        super(message);
    }

    public InputFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
