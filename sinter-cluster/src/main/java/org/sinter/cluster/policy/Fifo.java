package org.sinter.cluster.policy;

import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * First in, first out, strictly: a job starts only after every earlier one has, so a large job at
 * the head blocks smaller ones behind it even when they would fit (the head-of-line blocking that
 * backfilling and the other policies attack). Non-preemptive.
 */
public final class Fifo implements Policy {
    @Override
    public String name() {
        return "fifo";
    }

    @Override
    public double queueRank(JobState j) {
        return j.job.arrival();
    }

    @Override
    public void schedule(SchedulerContext ctx) {
        QueueWalk.startUntilBlocked(ctx);
    }
}
