package org.sinter.cluster.trace;

import java.nio.file.Path;

/** A trace file that cannot be read as its format says: the message names the file and line. */
public final class TraceFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TraceFormatException(Path file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
    }

    public TraceFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
