package org.sinter.cluster.trace;

import java.util.List;
import java.util.SplittableRandom;
import org.sinter.cluster.Job;

/**
 * A generated workload for tests, scale runs and machines without the shared traces: log-normal
 * durations shaped like Philly's (median about 20 minutes, a heavy tail of multi-day jobs, sigma 2),
 * the Philly GPU mix and Poisson arrivals at a chosen load. Deterministic for a seed.
 */
public final class SyntheticTrace {
    static final double MEDIAN_SECONDS = 1200;
    static final double SIGMA = 2.0;
    /** Clamped to Philly's observed range, so no job is a millisecond or a year long. */
    static final double MIN_SECONDS = 10, MAX_SECONDS = 60 * 86400;

    private SyntheticTrace() {}

    public static List<Job> generate(int jobs, int clusterGpus, int maxGpus, double load, long seed) {
        return generate(jobs, clusterGpus, maxGpus, load, seed, 0);
    }

    /** As {@link #generate(int, int, int, double, long)} with a daily arrival cycle (see {@link DiurnalArrivals}). */
    public static List<Job> generate(int jobs, int clusterGpus, int maxGpus, double load, long seed, double diurnalAmplitude) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[] durations = new double[jobs];
        String[] origins = new String[jobs];
        for (int i = 0; i < jobs; i++) {
            double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            durations[i] = Math.clamp(MEDIAN_SECONDS * Math.exp(SIGMA * gaussian), MIN_SECONDS, MAX_SECONDS);
            origins[i] = "synthetic job " + i;
        }
        return PoissonWorkload.build(durations, origins, "synthetic", maxGpus, clusterGpus, load, seed, diurnalAmplitude);
    }
}
