package org.sinter.cluster.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a CSV trace whose columns are found by name (Alibaba's pod and node lists): which
 * field holds each column, and each row split into exactly as many fields as the header has, with
 * errors that name the file and line.
 */
final class CsvColumns {
    private final Path file;
    private final Map<String, Integer> at = new HashMap<>();
    private final int count;

    /** Reads the header line; every column of {@code required} must be there ({@code what} names the format in errors). */
    CsvColumns(BufferedReader in, Path file, List<String> required, String what) throws IOException {
        this.file = file;
        String header = in.readLine();
        if (header == null) throw new TraceFormatException(file, 1, "empty file: expected the header " + String.join(",", required) + ",...");
        String[] names = header.trim().split(",", -1);
        for (int i = 0; i < names.length; i++) at.put(names[i].trim(), i);
        for (String c : required) {
            if (!at.containsKey(c)) throw new TraceFormatException(file, 1, "missing column '" + c + "' (" + what + " has " + String.join(",", required) + ")");
        }
        this.count = names.length;
    }

    /** A data line's fields, one per header column. */
    String[] split(int line, String text) {
        String[] f = text.split(",", -1);
        if (f.length != count) throw new TraceFormatException(file, line, "expected " + count + " comma-separated fields as in the header, got " + f.length);
        return f;
    }

    /** Whether the header has an optional column. */
    boolean has(String column) {
        return at.containsKey(column);
    }

    /** The field of {@code column} in a row from {@link #split}, trimmed. */
    String get(String[] row, String column) {
        return row[at.get(column)].trim();
    }
}
