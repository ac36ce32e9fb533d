package org.sinter.learned.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.sinter.learned.index.update.DeltaLearnedIndex;
import org.sinter.learned.index.update.UpdatableLongIndex;

/**
 * The read-write workload of ALEX's evaluation: start from {@code n} keys, then alternate an insert of
 * a fresh key from the same distribution with a lookup of a key drawn uniformly from all keys present
 * at that moment (inserted ones included). Every structure replays the identical operation stream,
 * and each must find every looked-up key.
 */
public final class MixBenchmark {
    /**
     * One structure's throughput over the stream, by wall time and by the thread's CPU time (which a
     * shared machine's other processes disturb far less: descheduled time is not counted).
     */
    public record Result(String name, long operations, double seconds, double opsPerSecond, double cpuSeconds, double cpuOpsPerSecond, long bytes, String notes) {}

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private final long[] initial;
    private final long[] inserts;
    private final long[] lookups;

    /**
     * @param initial sorted starting keys
     * @param inserts keys to insert, in insertion order
     * @param seed    picks the lookups
     */
    public MixBenchmark(long[] initial, long[] inserts, long seed) {
        this.initial = initial;
        this.inserts = inserts;
        SplittableRandom r = new SplittableRandom(seed);
        lookups = new long[inserts.length];
        for (int i = 0; i < inserts.length; i++) {
            long pick = r.nextLong(initial.length + (long) i + 1); // after insert i, i + 1 keys have been added
            lookups[i] = pick < initial.length ? initial[(int) pick] : inserts[(int) (pick - initial.length)];
        }
    }

    /** Shuffles a copy (Fisher–Yates), so inserts arrive in random key order. */
    public static long[] shuffled(long[] keys, long seed) {
        long[] a = keys.clone();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = a[i]; a[i] = a[j]; a[j] = t;
        }
        return a;
    }

    public List<Result> run(List<Function<long[], UpdatableLongIndex>> builders, java.util.function.Consumer<Result> onResult) {
        List<Result> out = new ArrayList<>();
        for (Function<long[], UpdatableLongIndex> b : builders) {
            UpdatableLongIndex index = b.apply(initial);
            long found = 0;
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < inserts.length; i++) {
                index.insert(inserts[i]);
                if (index.contains(lookups[i])) found++;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e9;
            if (found != lookups.length) throw new IllegalStateException("mix benchmark: " + index.name() + " found " + found + " of " + lookups.length + " present keys");
            if (index.size() != (long) initial.length + inserts.length) throw new IllegalStateException("mix benchmark: " + index.name() + " holds " + index.size() + " keys");
            String notes = index instanceof DeltaLearnedIndex d ? String.format(Locale.ROOT, "%d merges, %.2f s merging", d.merges(), d.mergeSeconds()) : "";
            Result r = new Result(index.name(), 2L * inserts.length, s, 2L * inserts.length / s, cpu, 2L * inserts.length / cpu, index.bytes(), notes);
            out.add(r);
            if (onResult != null) onResult.accept(r);
        }
        return out;
    }

    public static String format(List<Result> rows) {
        Result base = rows.stream().filter(r -> r.name().equals("B+-tree")).findFirst().orElse(null);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s %11s %8s %11s %8s %8s %11s %8s %11s  %s%n", "structure", "operations", "wall s", "ops/s", "x btree", "cpu s", "cpu ops/s", "x btree", "bytes", "notes"));
        for (Result r : rows) {
            sb.append(String.format(Locale.ROOT, "%-28s %11d %8.2f %11.0f %8s %8.2f %11.0f %8s %11s  %s%n", r.name(), r.operations(), r.seconds(), r.opsPerSecond(),
                    base == null ? "-" : String.format(Locale.ROOT, "%.2f", r.opsPerSecond() / base.opsPerSecond()), r.cpuSeconds(), r.cpuOpsPerSecond(),
                    base == null ? "-" : String.format(Locale.ROOT, "%.2f", r.cpuOpsPerSecond() / base.cpuOpsPerSecond()), LookupTable.bytes(r.bytes()), r.notes()));
        }
        return sb.toString();
    }
}
