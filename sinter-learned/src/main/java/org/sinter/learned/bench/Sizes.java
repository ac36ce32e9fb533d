package org.sinter.learned.bench;

import java.util.Locale;

/** Counts as people write them on a command line: {@code 100M}, {@code 2k}, {@code 1.5G}, {@code 250000}. */
public final class Sizes {
    private Sizes() {}

    public static long parse(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT).replace("_", "");
        double mult = 1;
        if (t.endsWith("K")) mult = 1e3; else if (t.endsWith("M")) mult = 1e6; else if (t.endsWith("G")) mult = 1e9;
        if (mult > 1) t = t.substring(0, t.length() - 1);
        try {
            double v = Double.parseDouble(t) * mult;
            if (v < 0 || v != Math.rint(v) || v > Long.MAX_VALUE) throw new NumberFormatException();
            return (long) v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a count: '" + s + "' (expected e.g. 100M, 2k or 250000)");
        }
    }
}
