package org.sinter.profiler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Profiler events summed per name (and optionally per input shapes): PyTorch's
 * {@code prof.key_averages()}, with {@link #table} printing the same columns as its
 * {@code table(sort_by=..., row_limit=...)}.
 */
public final class KeyAverages {
    /** One row: all the calls of one name (and input shapes, when grouped by them). */
    public record Row(String name, String inputShapes, int calls, long selfNs, long totalNs, long selfBytes,
                      long totalBytes) {
        /** Mean total time per call. */
        public long avgNs() {
            return calls == 0 ? 0 : totalNs / calls;
        }
    }

    /** Sort keys, named as PyTorch's {@code sort_by} strings. */
    public enum SortBy {
        SELF_CPU_TIME_TOTAL("self_cpu_time_total", Comparator.comparingLong(Row::selfNs)),
        CPU_TIME_TOTAL("cpu_time_total", Comparator.comparingLong(Row::totalNs)),
        CPU_TIME_AVG("cpu_time", Comparator.comparingLong(Row::avgNs)),
        COUNT("count", Comparator.comparingInt(Row::calls)),
        CPU_MEMORY_USAGE("cpu_memory_usage", Comparator.comparingLong(Row::totalBytes)),
        SELF_CPU_MEMORY_USAGE("self_cpu_memory_usage", Comparator.comparingLong(Row::selfBytes));

        private final String key;
        private final Comparator<Row> ascending;

        SortBy(String key, Comparator<Row> ascending) {
            this.key = key;
            this.ascending = ascending;
        }

        /** PyTorch's name for this key. */
        public String key() {
            return key;
        }

        /** The key for a PyTorch {@code sort_by} string (or this enum's name, any case). */
        public static SortBy of(String s) {
            for (SortBy b : values()) {
                if (b.key.equals(s) || b.name().equalsIgnoreCase(s)) return b;
            }
            List<String> keys = new ArrayList<>();
            for (SortBy b : values()) keys.add(b.key);
            throw new IllegalArgumentException("sort_by: unknown key '" + s + "'; expected one of " + keys);
        }
    }

    private final List<Row> rows;
    private final boolean byShape;
    private final long selfTotalNs;

    KeyAverages(List<ProfilerEvent> events, boolean byShape) {
        this.byShape = byShape;
        Map<String, long[]> acc = new LinkedHashMap<>();
        Map<String, String[]> keys = new LinkedHashMap<>();
        long self = 0;
        for (ProfilerEvent e : events) {
            String k = byShape ? e.name() + '\u0000' + e.inputShapes() : e.name();
            long[] a = acc.computeIfAbsent(k, x -> new long[5]);
            keys.putIfAbsent(k, new String[] {e.name(), byShape ? e.inputShapes() : ""});
            a[0]++;
            a[1] += e.selfNs();
            a[2] += e.durationNs();
            a[3] += e.selfBytes();
            a[4] += e.totalBytes();
            self += e.selfNs();
        }
        List<Row> r = new ArrayList<>();
        acc.forEach((k, a) -> r.add(new Row(keys.get(k)[0], keys.get(k)[1], (int) a[0], a[1], a[2], a[3], a[4])));
        this.rows = Collections.unmodifiableList(r);
        this.selfTotalNs = self;
    }

    /** The rows, in order of first appearance. */
    public List<Row> rows() {
        return rows;
    }

    /** The row of {@code name} (first one when grouped by shapes), or null. */
    public Row get(String name) {
        for (Row r : rows) if (r.name().equals(name)) return r;
        return null;
    }

    /** Sum of all self times: the profiled wall time on this thread. */
    public long selfCpuTimeTotalNs() {
        return selfTotalNs;
    }

    /** The table sorted by {@code sortBy} (descending), at most {@code rowLimit} rows (all if negative). */
    public String table(SortBy sortBy, int rowLimit) {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(sortBy.ascending.reversed());
        if (rowLimit >= 0 && sorted.size() > rowLimit) sorted = sorted.subList(0, rowLimit);
        return ProfilerTable.render(sorted, byShape, selfTotalNs);
    }

    /** {@link #table(SortBy, int)} with a PyTorch {@code sort_by} string such as {@code "cpu_time_total"}. */
    public String table(String sortBy, int rowLimit) {
        return table(SortBy.of(sortBy.toLowerCase(Locale.ROOT)), rowLimit);
    }

    /** All rows, sorted by self CPU time. */
    @Override
    public String toString() {
        return table(SortBy.SELF_CPU_TIME_TOTAL, -1);
    }
}
