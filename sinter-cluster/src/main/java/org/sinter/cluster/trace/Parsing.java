package org.sinter.cluster.trace;

import java.nio.file.Path;

/** Numbers of a trace field, with errors that name the file, line and field. */
final class Parsing {
    private Parsing() {}

    static double parseDouble(Path file, int line, String field, String text) {
        try {
            double v = Double.parseDouble(text.trim());
            if (!Double.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new TraceFormatException(file, line, field + " is not a finite number: '" + text + "'");
        }
    }

    static long parseLong(Path file, int line, String field, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new TraceFormatException(file, line, field + " is not an integer: '" + text + "'");
        }
    }
}
