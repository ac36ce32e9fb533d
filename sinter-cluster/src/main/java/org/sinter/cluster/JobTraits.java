package org.sinter.cluster;

/**
 * What a job allows its scheduler beyond its gang of GPUs: how important it is, whether it may be
 * stopped (and what stopping costs it), moved, or run on a different number of GPUs.
 *
 * @param user           who submitted it ("" when the trace does not say), for per-user reports and fairness
 * @param priority       higher runs first where a policy orders by priority (a preemptive priority policy
 *                       stops lower-priority jobs for it); 0 by default
 * @param preemptible    whether any policy may stop it once started (time-slicing, preemption, reclaiming a VC's cells)
 * @param checkpointable whether a stop keeps its progress (it resumes, paying the restore cost); if not, a
 *                       stopped job starts again from zero
 * @param migratable     whether a policy may move it to other GPUs (Gandiva's migration)
 * @param minGpus        for an elastic job, the fewest GPUs it runs on; 0 with {@code maxGpus} 0: a rigid job,
 *                       which runs on exactly its {@link Job#gpus()}
 * @param maxGpus        for an elastic job, the most GPUs it can use
 * @param scalingEfficiency its scaling curve: on g GPUs it runs {@code 1 + e * (g - 1)} times as fast as on
 *                       one (1: linear; below 1 each added GPU brings less), in (0, 1]
 */
public record JobTraits(String user, int priority, boolean preemptible, boolean checkpointable, boolean migratable, int minGpus, int maxGpus, double scalingEfficiency) {
    /**
     * Each added GPU's share of one GPU's speed when a trace gives none: data-parallel training of
     * ResNet-50-class models keeps about 90% per added GPU within a few nodes (Goyal et al. 2017 report
     * 90% scaling efficiency from 8 to 256 GPUs).
     */
    public static final double DEFAULT_SCALING_EFFICIENCY = 0.9;
    /** What every job of a trace without these columns gets: no user, priority 0, preemptible, checkpointed, movable, rigid. */
    public static final JobTraits DEFAULT = new JobTraits("", 0, true, true, true, 0, 0, DEFAULT_SCALING_EFFICIENCY);

    public JobTraits {
        if (user == null) throw new IllegalArgumentException("user must not be null (\"\" when unknown)");
        if (!(scalingEfficiency > 0 && scalingEfficiency <= 1)) throw new IllegalArgumentException("scaling efficiency must be in (0, 1], got " + scalingEfficiency);
        if (minGpus < 0 || maxGpus < minGpus || (minGpus == 0) != (maxGpus == 0)) {
            throw new IllegalArgumentException("elastic GPU range must be 1 <= min_gpus <= max_gpus (or both 0: rigid), got " + minGpus + ".." + maxGpus);
        }
    }

    /** Whether the job can run on any GPU count in a range (an elastic job) rather than only its own. */
    public boolean elastic() {
        return maxGpus > 0;
    }

    public JobTraits withUser(String user) {
        return new JobTraits(user, priority, preemptible, checkpointable, migratable, minGpus, maxGpus, scalingEfficiency);
    }

    public JobTraits withPriority(int priority) {
        return new JobTraits(user, priority, preemptible, checkpointable, migratable, minGpus, maxGpus, scalingEfficiency);
    }

    public JobTraits withPreemptible(boolean preemptible) {
        return new JobTraits(user, priority, preemptible, checkpointable, migratable, minGpus, maxGpus, scalingEfficiency);
    }

    public JobTraits withCheckpointable(boolean checkpointable) {
        return new JobTraits(user, priority, preemptible, checkpointable, migratable, minGpus, maxGpus, scalingEfficiency);
    }

    public JobTraits withMigratable(boolean migratable) {
        return new JobTraits(user, priority, preemptible, checkpointable, migratable, minGpus, maxGpus, scalingEfficiency);
    }

    public JobTraits withGpuRange(int minGpus, int maxGpus) {
        return new JobTraits(user, priority, preemptible, checkpointable, migratable, minGpus, maxGpus, scalingEfficiency);
    }

    public JobTraits withScalingEfficiency(double scalingEfficiency) {
        return new JobTraits(user, priority, preemptible, checkpointable, migratable, minGpus, maxGpus, scalingEfficiency);
    }

    /** Its speed on {@code gpus} GPUs in units of one GPU's: the scaling curve. */
    public double throughput(int gpus) {
        return 1 + scalingEfficiency * (gpus - 1);
    }
}
