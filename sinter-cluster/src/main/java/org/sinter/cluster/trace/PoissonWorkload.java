package org.sinter.cluster.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sinter.cluster.Job;

/**
 * Turns job durations into a workload: GPU counts drawn from the Philly mix, and Poisson arrivals at
 * the rate that offers the cluster a chosen load (offered GPU-seconds per second over its GPUs;
 * 1.0 saturates it on average). Deterministic for a seed.
 */
public final class PoissonWorkload {
    /**
     * GPU counts and their shares in Gavel's Philly-derived msr traces (15,264 jobs: 1 GPU 68.7%,
     * 2: 3.0%, 4: 13.4%, 8: 12.6%, 16: 1.7%, 32: 0.6%; the rarer 7, 12, 20, 24, 64 left out).
     */
    static final int[] GPU_COUNTS = {1, 2, 4, 8, 16, 32};
    static final double[] GPU_SHARES = {10480, 463, 2044, 1916, 255, 91};

    private PoissonWorkload() {}

    /**
     * @param durations  seconds per job, in trace order
     * @param origins    where each duration came from (for error messages), same length
     * @param maxGpus    no job gets more GPUs than this (the cluster's size)
     * @param load       offered load, > 0
     */
    public static List<Job> build(double[] durations, String[] origins, String type, int maxGpus, int clusterGpus, double load, long seed) {
        return build(durations, origins, type, maxGpus, clusterGpus, load, seed, 0);
    }

    /**
     * As {@link #build(double[], String[], String, int, int, double, long)}, with arrivals following a
     * daily cycle of {@code diurnalAmplitude} ({@link DiurnalArrivals}: 0 is plain Poisson, the same
     * jobs and arrival times as without it; the mean rate, so the offered load, is unchanged).
     */
    public static List<Job> build(double[] durations, String[] origins, String type, int maxGpus, int clusterGpus, double load, long seed, double diurnalAmplitude) {
        if (!(load > 0)) throw new IllegalArgumentException("load must be > 0, got " + load);
        SplittableRandom random = new SplittableRandom(seed);
        int[] gpus = new int[durations.length];
        double work = 0;
        for (int i = 0; i < durations.length; i++) {
            gpus[i] = Math.min(maxGpus, drawGpus(random));
            work += gpus[i] * durations[i];
        }
        // rate (jobs/s) * mean GPU-seconds per job = load * GPUs
        double rate = durations.length == 0 ? 1 : load * clusterGpus / (work / durations.length);
        List<Job> jobs = new ArrayList<>(durations.length);
        if (diurnalAmplitude != 0) {
            double[] at = new DiurnalArrivals(rate, diurnalAmplitude, DiurnalArrivals.DAY_SECONDS, DiurnalArrivals.DEFAULT_PEAK_SECONDS).times(durations.length, random);
            for (int i = 0; i < durations.length; i++) jobs.add(new Job(i, type, at[i], gpus[i], durations[i], "default", origins[i]));
            return jobs;
        }
        double t = 0;
        for (int i = 0; i < durations.length; i++) {
            jobs.add(new Job(i, type, t, gpus[i], durations[i], "default", origins[i]));
            t += -Math.log(1 - random.nextDouble()) / rate;
        }
        return jobs;
    }

    private static int drawGpus(SplittableRandom random) {
        double total = 0;
        for (double s : GPU_SHARES) total += s;
        double u = random.nextDouble() * total;
        for (int i = 0; i < GPU_COUNTS.length; i++) {
            u -= GPU_SHARES[i];
            if (u < 0) return GPU_COUNTS[i];
        }
        return GPU_COUNTS[GPU_COUNTS.length - 1];
    }
}
