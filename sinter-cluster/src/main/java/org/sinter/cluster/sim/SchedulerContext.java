package org.sinter.cluster.sim;

import java.util.Collection;

/**
 * What a policy sees and does during one scheduling pass: the clock, the wait queue in the policy's
 * order, the running jobs, and the two actions, start (gang: all GPUs or none) and preempt.
 */
public interface SchedulerContext {
    double now();

    int freeGpus();

    int totalGpus();

    /** The highest-priority waiting job, or null; with {@link #nextWaiting}, a cursor that survives starts and preemptions. */
    JobState firstWaiting();

    /** The waiting job after {@code j} in queue order (j need not still be waiting), or null. */
    JobState nextWaiting(JobState j);

    int waitingCount();

    /** The smallest GPU count among waiting jobs (0 when none wait): below it, no waiting job can start. */
    int minWaitingGpus();

    /** Running jobs, in the order they started (deterministic); do not modify. */
    Collection<JobState> running();

    /** Places and starts a waiting job if its gang fits now; false (nothing changes) if not. */
    boolean tryStart(JobState j);

    /** Stops a running job and returns it to the wait queue, its progress kept (checkpointed). */
    void preempt(JobState j);
}
