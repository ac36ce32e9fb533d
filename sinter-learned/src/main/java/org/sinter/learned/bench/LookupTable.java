package org.sinter.learned.bench;

import java.util.List;
import java.util.Locale;

/** The benchmark's table: one row per structure, with speed-ups over binary search and the B+-tree and memory against the B+-tree's. */
public final class LookupTable {
    private LookupTable() {}

    public static String format(List<LookupResult> rows) {
        LookupResult binary = find(rows, "binary search"), btree = find(rows, "B+-tree");
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-24s %8s %11s %8s %8s %7s %7s %11s %8s %8s %9s%n", "structure", "build s", "index bytes",
                "mean ns", "cpu ns", "p50 ns", "p99 ns", "lookups/s", "x binary", "x btree", "mem/btree"));
        for (LookupResult r : rows) {
            sb.append(String.format(Locale.ROOT, "%-24s %8.2f %11s %8.1f %8.1f %7.0f %7.0f %11.0f %8s %8s %9s%n", r.name(), r.buildSeconds(),
                    bytes(r.indexBytes()), r.meanNanos(), r.cpuMeanNanos(), r.medianNanos(), r.p99Nanos(), r.lookupsPerSecond(),
                    binary == null ? "-" : String.format(Locale.ROOT, "%.2f", binary.cpuMeanNanos() / r.cpuMeanNanos()),
                    btree == null ? "-" : String.format(Locale.ROOT, "%.2f", btree.cpuMeanNanos() / r.cpuMeanNanos()),
                    btree == null || btree.indexBytes() == 0 ? "-" : String.format(Locale.ROOT, "%.3f%%", 100.0 * r.indexBytes() / btree.indexBytes())));
        }
        return sb.toString();
    }

    public static String csv(List<LookupResult> rows) {
        StringBuilder sb = new StringBuilder("structure,build_s,index_bytes,mean_ns,cpu_mean_ns,p50_ns,p99_ns,lookups_per_s\n");
        for (LookupResult r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%.4f,%d,%.2f,%.2f,%.0f,%.0f,%.0f%n", r.name(), r.buildSeconds(), r.indexBytes(),
                    r.meanNanos(), r.cpuMeanNanos(), r.medianNanos(), r.p99Nanos(), r.lookupsPerSecond()));
        }
        return sb.toString();
    }

    static LookupResult find(List<LookupResult> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    static String bytes(long b) {
        if (b < 1024) return b + " B";
        if (b < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        if (b < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.2f GiB", b / (1024.0 * 1024 * 1024));
    }
}
