package org.sinter.rl.remote;

import java.util.Locale;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Discrete;
import org.sinter.rl.spaces.Space;

/**
 * The external-environment protocol's text forms (see {@code docs/rl.md}, "External environments"):
 * UTF-8 lines of space-separated tokens. Numbers are written in Java's shortest round-trip form and
 * read in Java's or Python's ({@code inf}, {@code -inf}, {@code nan}), so doubles cross exactly.
 */
final class EnvProtocol {
    static final String VERSION = "sinter-env 1";

    private EnvProtocol() {}

    static String formatSpace(Space<?> space) {
        return switch (space) {
            case Discrete d -> "discrete " + d.n() + " " + d.start();
            case Box b -> "box " + b.size() + " " + join(b.low()) + " " + join(b.high());
            default -> throw new IllegalArgumentException("external env protocol: unsupported space " + space);
        };
    }

    /** Parses {@code formatSpace}'s form from {@code tokens[from..]}. */
    static Space<?> parseSpace(String[] tokens, int from, String field) {
        if (tokens.length <= from) throw new IllegalArgumentException("external env protocol: " + field + " space missing");
        String kind = tokens[from];
        if (kind.equals("discrete")) {
            expectTokens(tokens, from + 3, field);
            return new Discrete(parseInt(tokens[from + 1], field + " n"), parseInt(tokens[from + 2], field + " start"));
        }
        if (kind.equals("box")) {
            int n = parseInt(tokens[from + 1], field + " size");
            expectTokens(tokens, from + 2 + 2 * n, field);
            return new Box(parseDoubles(tokens, from + 2, n, field + " low"), parseDoubles(tokens, from + 2 + n, n, field + " high"));
        }
        throw new IllegalArgumentException("external env protocol: " + field + " space kind '" + kind + "' is neither discrete nor box");
    }

    static String join(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) sb.append(' ');
            sb.append(values[i]);
        }
        return sb.toString();
    }

    static double[] parseDoubles(String[] tokens, int from, int n, String field) {
        expectTokens(tokens, from + n, field);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = parseDouble(tokens[from + i], field + "[" + i + "]");
        return out;
    }

    static double parseDouble(String token, String field) {
        switch (token.toLowerCase(Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity": return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity": return Double.NEGATIVE_INFINITY;
            case "nan": return Double.NaN;
            default:
        }
        try {
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("external env protocol: " + field + " '" + token + "' is not a number");
        }
    }

    static int parseInt(String token, String field) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("external env protocol: " + field + " '" + token + "' is not an integer");
        }
    }

    static long parseLong(String token, String field) {
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("external env protocol: " + field + " '" + token + "' is not an integer");
        }
    }

    static boolean parseFlag(String token, String field) {
        return switch (token) {
            case "0" -> false;
            case "1" -> true;
            default -> throw new IllegalArgumentException("external env protocol: " + field + " '" + token + "' is neither 0 nor 1");
        };
    }

    static void expectTokens(String[] tokens, int atLeast, String field) {
        if (tokens.length < atLeast) {
            throw new IllegalArgumentException("external env protocol: " + field + " needs " + atLeast + " tokens, got " + tokens.length + ": " + String.join(" ", tokens));
        }
    }
}
