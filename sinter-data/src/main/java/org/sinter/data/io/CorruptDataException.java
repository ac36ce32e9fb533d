package org.sinter.data.io;

import java.io.IOException;

/**
 * A data file does not hold what its format promises: the message names the file and the field
 * (for example {@code "train-images-idx3-ubyte.gz: magic: ..."}), also available as
 * {@link #file()} and {@link #field()}.
 */
public final class CorruptDataException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String field;

    public CorruptDataException(String file, String field, String problem) {
        this(file, field, problem, null);
    }

    public CorruptDataException(String file, String field, String problem, Throwable cause) {
        super(file + ": " + field + ": " + problem, cause);
        this.file = file;
        this.field = field;
    }

    /** The file (or resource) name. */
    public String file() {
        return file;
    }

    /** The part of the format that is wrong, e.g. {@code "magic"}, {@code "dimension 0"}, {@code "data"}, {@code "line 7"}. */
    public String field() {
        return field;
    }
}
