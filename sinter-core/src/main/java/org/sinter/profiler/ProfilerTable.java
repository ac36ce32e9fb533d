package org.sinter.profiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders {@link KeyAverages} rows as the fixed-width text table torch.profiler prints. */
final class ProfilerTable {
    private static final String[] HEADERS = {"Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total",
            "CPU time avg", "CPU Mem", "Self CPU Mem", "# of Calls"};
    private static final int NUMERIC_WIDTH = 12;
    private static final int MAX_NAME = 55;
    private static final int MAX_SHAPES = 60;

    private ProfilerTable() {}

    static String render(List<KeyAverages.Row> rows, boolean withShapes, long selfTotalNs) {
        List<String[]> cells = new ArrayList<>();
        for (KeyAverages.Row r : rows) {
            String[] c = new String[withShapes ? 10 : 9];
            c[0] = clip(r.name(), MAX_NAME);
            c[1] = percent(r.selfNs(), selfTotalNs);
            c[2] = time(r.selfNs());
            c[3] = percent(r.totalNs(), selfTotalNs);
            c[4] = time(r.totalNs());
            c[5] = time(r.avgNs());
            c[6] = bytes(r.totalBytes());
            c[7] = bytes(r.selfBytes());
            c[8] = Integer.toString(r.calls());
            if (withShapes) c[9] = clip(r.inputShapes(), MAX_SHAPES);
            cells.add(c);
        }
        int nameWidth = HEADERS[0].length();
        for (String[] c : cells) nameWidth = Math.max(nameWidth, c[0].length());
        int shapeWidth = "Input Shapes".length();
        if (withShapes) for (String[] c : cells) shapeWidth = Math.max(shapeWidth, c[9].length());

        StringBuilder rule = new StringBuilder("-".repeat(nameWidth)).append("  ");
        for (int i = 1; i < HEADERS.length; i++) rule.append("-".repeat(NUMERIC_WIDTH)).append("  ");
        if (withShapes) rule.append("-".repeat(shapeWidth)).append("  ");
        String line = rule.toString().stripTrailing();

        StringBuilder sb = new StringBuilder();
        sb.append(line).append('\n');
        String[] header = withShapes ? append(HEADERS, "Input Shapes") : HEADERS;
        sb.append(row(header, nameWidth, shapeWidth, withShapes)).append('\n');
        sb.append(line).append('\n');
        for (String[] c : cells) sb.append(row(c, nameWidth, shapeWidth, withShapes)).append('\n');
        sb.append(line).append('\n');
        sb.append("Self CPU time total: ").append(time(selfTotalNs)).append('\n');
        return sb.toString();
    }

    private static String row(String[] c, int nameWidth, int shapeWidth, boolean withShapes) {
        StringBuilder sb = new StringBuilder();
        sb.append(pad(c[0], nameWidth)).append("  ");
        for (int i = 1; i < 9; i++) sb.append(pad(c[i], NUMERIC_WIDTH)).append("  ");
        if (withShapes) sb.append(pad(c[9], shapeWidth)).append("  ");
        return sb.toString().stripTrailing();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String[] append(String[] a, String s) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = s;
        return out;
    }

    static String percent(long part, long whole) {
        return whole == 0 ? "0.00%" : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
    }

    /** Times as torch prints them: {@code 12.345us}, {@code 1.234ms}, {@code 2.000s}. */
    static String time(long ns) {
        double us = ns / 1e3;
        if (us >= 1e6) return String.format(Locale.ROOT, "%.3fs", us / 1e6);
        if (us >= 1e3) return String.format(Locale.ROOT, "%.3fms", us / 1e3);
        return String.format(Locale.ROOT, "%.3fus", us);
    }

    /** Memory as torch prints it: {@code 0 b}, {@code 1.50 Kb}, {@code 3.00 Mb}, {@code 1.25 Gb}. */
    static String bytes(long b) {
        if (Math.abs(b) >= 1L << 30) return String.format(Locale.ROOT, "%.2f Gb", b / (double) (1L << 30));
        if (Math.abs(b) >= 1L << 20) return String.format(Locale.ROOT, "%.2f Mb", b / (double) (1L << 20));
        if (Math.abs(b) >= 1L << 10) return String.format(Locale.ROOT, "%.2f Kb", b / (double) (1L << 10));
        return b + " b";
    }
}
