package org.sinter.cluster.trace;

import java.util.List;
import java.util.SplittableRandom;
import org.sinter.cluster.Job;
import org.sinter.cluster.JobTraits;

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

    /**
     * Shares of a generated trace's jobs given each trait (drawn independently per job).
     *
     * @param elastic           elastic jobs: {@code max(1, gpus/2)..min(maxGpus, 4 gpus)} GPUs, scaling efficiency {@link JobTraits#DEFAULT_SCALING_EFFICIENCY}
     * @param highPriority      jobs of priority 1 (the rest 0)
     * @param notPreemptible    jobs no policy may stop
     * @param notCheckpointable jobs a stop sends back to zero
     */
    public record TraitMix(double elastic, double highPriority, double notPreemptible, double notCheckpointable) {
        public TraitMix {
            for (double share : new double[] {elastic, highPriority, notPreemptible, notCheckpointable}) {
                if (!(share >= 0 && share <= 1)) throw new IllegalArgumentException("trait shares must be in [0, 1], got " + this);
            }
        }
    }

    /** {@code jobs} with traits drawn from {@code mix} (deterministic for a seed); no job gets more than {@code maxGpus}. */
    public static List<Job> withTraits(List<Job> jobs, TraitMix mix, int maxGpus, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x7A17L);
        List<Job> out = new java.util.ArrayList<>(jobs.size());
        for (Job j : jobs) {
            JobTraits t = JobTraits.DEFAULT;
            if (random.nextDouble() < mix.elastic() && !j.sharesGpu()) t = t.withGpuRange(Math.max(1, j.gpus() / 2), Math.max(j.gpus(), Math.min(maxGpus, 4 * j.gpus())));
            if (random.nextDouble() < mix.highPriority()) t = t.withPriority(1);
            if (random.nextDouble() < mix.notPreemptible()) t = t.withPreemptible(false);
            if (random.nextDouble() < mix.notCheckpointable()) t = t.withCheckpointable(false);
            out.add(j.withTraits(t));
        }
        return out;
    }
}
