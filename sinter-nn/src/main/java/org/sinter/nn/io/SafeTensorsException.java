package org.sinter.nn.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file (or the tensors given to write one) breaks the format. The message names the
 * file and the tensor or header field at fault, so a bad download or a truncated write is easy to
 * tell from a bug.
 */
public final class SafeTensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public SafeTensorsException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public SafeTensorsException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
