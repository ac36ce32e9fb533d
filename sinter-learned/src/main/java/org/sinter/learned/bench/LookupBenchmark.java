package org.sinter.learned.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.sinter.learned.index.SortedLongIndex;

/**
 * SOSD's measurement, on the JVM: build each structure over the same sorted keys, then look up the
 * same stream of keys drawn uniformly from the key set (so every lookup hits, and most miss the CPU
 * caches at 100M keys). Throughput is the wall time of the whole stream (median of {@code repeats}
 * rounds), beside the thread's CPU time for it (which other processes on a shared machine disturb
 * less; the speed-up columns use it);
 * latency percentiles come from a separate pass timing each lookup with {@code System.nanoTime}
 * (whose own cost, {@link #timerNanos()}, is included). The positions' checksum must agree across
 * structures, or the run fails.
 */
public final class LookupBenchmark {
    private final long[] keys;
    private final long[] queries;
    private final int latencySamples, repeats;

    public LookupBenchmark(long[] keys, int lookups, int latencySamples, int repeats, long seed) {
        if (keys.length == 0) throw new IllegalArgumentException("lookup benchmark: the key set is empty");
        if (lookups < 1 || latencySamples < 1 || repeats < 1) throw new IllegalArgumentException("lookup benchmark: lookups, latency samples and repeats must be >= 1");
        this.keys = keys;
        this.latencySamples = Math.min(latencySamples, lookups);
        this.repeats = repeats;
        SplittableRandom r = new SplittableRandom(seed);
        queries = new long[lookups];
        for (int i = 0; i < lookups; i++) queries[i] = keys[r.nextInt(keys.length)];
    }

    /**
     * Builds every structure (they are small beside the keys, so all stay in memory), then times them
     * round-robin, {@code repeats} rounds of the whole stream each: on a shared machine, a burst of
     * load then slows every structure's round alike instead of one structure's whole measurement.
     */
    public List<LookupResult> run(List<Structures.Spec> specs, Consumer<String> progress) {
        List<SortedLongIndex> built = new ArrayList<>();
        double[] build = new double[specs.size()];
        for (int s = 0; s < specs.size(); s++) {
            long t0 = System.nanoTime();
            built.add(specs.get(s).builder().apply(keys));
            build[s] = (System.nanoTime() - t0) / 1e9;
            if (progress != null) progress.accept(String.format(java.util.Locale.ROOT, "built %s in %.2f s", built.get(s).name(), build[s]));
        }
        int m = built.size();
        long[] checksum = new long[m];
        double[][] perLookup = new double[m][repeats], cpuPerLookup = new double[m][repeats];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (SortedLongIndex index : built) stream(index, Math.min(queries.length, 200_000)); // warm-up: JIT and caches
        for (int rep = 0; rep < repeats; rep++) {
            for (int s = 0; s < m; s++) {
                long c0 = threads.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                checksum[s] = stream(built.get(s), queries.length);
                perLookup[s][rep] = (System.nanoTime() - t0) / (double) queries.length;
                cpuPerLookup[s][rep] = (threads.getCurrentThreadCpuTime() - c0) / (double) queries.length;
            }
        }
        List<LookupResult> out = new ArrayList<>();
        for (int s = 0; s < m; s++) {
            SortedLongIndex index = built.get(s);
            if (checksum[s] != checksum[0]) {
                throw new IllegalStateException("lookup benchmark: " + index.name() + " disagrees with " + built.get(0).name() + " (position checksums " + checksum[s] + " vs " + checksum[0] + ")");
            }
            double[] t = perLookup[s].clone();
            Arrays.sort(t);
            double mean = t[repeats / 2];
            double[] c = cpuPerLookup[s].clone();
            Arrays.sort(c);
            long[] lat = latencies(index);
            double[] q = new double[LookupResult.QUANTILES.length];
            for (int i = 0; i < q.length; i++) q[i] = LookupResult.quantile(lat, LookupResult.QUANTILES[i]);
            out.add(new LookupResult(index.name(), build[s], index.indexBytes(), mean, c[repeats / 2], LookupResult.quantile(lat, 50),
                    LookupResult.quantile(lat, 99), 1e9 / mean, checksum[s], q));
        }
        return out;
    }

    private long stream(SortedLongIndex index, int count) {
        long sum = 0;
        for (int i = 0; i < count; i++) sum += index.lowerBound(queries[i]);
        return sum;
    }

    private long[] latencies(SortedLongIndex index) {
        long[] lat = new long[latencySamples];
        long sink = 0;
        for (int i = 0; i < latencySamples; i++) {
            long t0 = System.nanoTime();
            sink += index.lowerBound(queries[i]);
            lat[i] = System.nanoTime() - t0;
        }
        if (sink == Long.MIN_VALUE) System.out.print(""); // keeps the timed calls alive
        Arrays.sort(lat);
        return lat;
    }

    /** The median cost of one back-to-back pair of nanoTime calls, for reading the latency figures. */
    public static double timerNanos() {
        long[] d = new long[100_000];
        for (int i = 0; i < d.length; i++) { long a = System.nanoTime(); d[i] = System.nanoTime() - a; }
        Arrays.sort(d);
        return d[d.length / 2];
    }
}
