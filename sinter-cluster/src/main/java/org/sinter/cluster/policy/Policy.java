package org.sinter.cluster.policy;

import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * A scheduling policy. The simulator keeps the wait queue in the policy's {@link #queueRank} order and,
 * after every batch of simultaneous events (arrivals, completions, wake-ups), calls
 * {@link #schedule}, where the policy starts and preempts jobs through the context. A policy whose
 * priorities move with time (Tiresias' queues) asks to be woken by {@link #nextWakeup}.
 */
public interface Policy {
    String name();

    /**
     * A waiting job's rank, lower first (arrival for FIFO, duration for SJF...), read when it enters
     * the queue: it must not change while the job waits (it may while it runs). Ties go to the
     * earlier arrival, then the earlier entry into the queue.
     */
    double queueRank(JobState waiting);

    /**
     * Order among waiting jobs of the same rank, lower first, read with the rank: arrival unless the
     * policy says otherwise (Tiresias can order a queue by when each job entered it).
     */
    default double queueOrder(JobState waiting) {
        return waiting.job.arrival();
    }

    void schedule(SchedulerContext ctx);

    /** Told after a job enters the wait queue (arrival or preemption), its rank set. */
    default void onEnqueue(JobState job, double now) {}

    /** Told after a job starts or resumes (for policies that index running jobs). */
    default void onStart(JobState job, double now) {}

    /** Told after a running job stops: preempted or completed. */
    default void onStop(JobState job, double now) {}

    /** The cluster this policy runs on, given the one asked for: DRF shares CPUs and memory, so it gives nodes limits on them. */
    default org.sinter.cluster.ClusterSpec clusterFor(org.sinter.cluster.ClusterSpec spec) {
        return spec;
    }

    /** Whether it can schedule jobs that use a share of one GPU (those that build whole-GPU allocations themselves cannot). */
    default boolean schedulesGpuShares() {
        return true;
    }

    /** Whether it can schedule a cluster whose nodes differ in GPU count (those that reason in whole nodes of one size cannot). */
    default boolean schedulesNodesOfDifferentSizes() {
        return true;
    }

    /** The next instant a priority changes without an event, or {@code +Infinity}. */
    default double nextWakeup(SchedulerContext ctx) {
        return Double.POSITIVE_INFINITY;
    }
}
