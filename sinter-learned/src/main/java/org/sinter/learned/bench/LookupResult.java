package org.sinter.learned.bench;

/**
 * One structure's figures on one key set.
 *
 * @param name             the structure
 * @param buildSeconds     time to build the index over the sorted keys
 * @param indexBytes       the index's own memory, keys excluded
 * @param meanNanos        wall time per lookup over the whole query stream, median of the repeats
 * @param cpuMeanNanos     the thread's CPU time per lookup over the stream, median of the repeats
 * @param medianNanos      median of individually timed lookups (timer cost included)
 * @param p99Nanos         99th percentile of individually timed lookups
 * @param lookupsPerSecond 1e9 / meanNanos
 * @param checksum         sum of the returned positions (equal across structures when they agree)
 * @param latencyNanos     individually timed latencies at {@link #QUANTILES}, for the latency plot
 */
public record LookupResult(String name, double buildSeconds, long indexBytes, double meanNanos, double cpuMeanNanos, double medianNanos,
                           double p99Nanos, double lookupsPerSecond, long checksum, double[] latencyNanos) {
    /** The quantiles (in percent) whose latencies are kept. */
    public static final double[] QUANTILES = {1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9};

    /** The value at quantile {@code percent} of sorted samples (nearest rank). */
    static double quantile(long[] sorted, double percent) {
        int rank = (int) Math.ceil(sorted.length * percent / 100.0) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }
}
