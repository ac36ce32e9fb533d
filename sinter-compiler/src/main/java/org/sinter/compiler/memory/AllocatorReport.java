package org.sinter.compiler.memory;

import java.util.List;
import java.util.Locale;

/** Renders simulation results as one Markdown table, one row per (log, allocator). */
public final class AllocatorReport {
    private AllocatorReport() {}

    public static String markdown(List<AllocatorSimulator.Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| log | allocator | allocations | peak live | peak reserved | fragmentation | worst external frag. | ns/op |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (AllocatorSimulator.Result r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %.1f%% | %.1f%% | %.0f |%n",
                    cell(r.log()), cell(r.allocator()), r.allocations(), bytes(r.peakLiveBytes()), bytes(r.peakReservedBytes()),
                    100 * r.fragmentation(), 100 * r.worstExternalFragmentation(), r.nanosPerOperation()));
        }
        return sb.toString();
    }

    /** Text for a table cell: a '|' would end the cell. */
    static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** Binary units with two decimals, e.g. {@code 12.50 MiB}; plain bytes below 1 KiB. */
    static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
