package org.sinter.cluster.policy;

import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * Shortest job first with a duration oracle (the trace's true durations): waiting jobs start
 * shortest first, any that fits; a running job is never preempted. The oracle is what real
 * schedulers lack and why Tiresias exists; here it gives the reference point.
 */
public final class Sjf implements Policy {
    @Override
    public String name() {
        return "sjf";
    }

    @Override
    public double queueRank(JobState j) {
        return j.job.duration();
    }

    @Override
    public void schedule(SchedulerContext ctx) {
        QueueWalk.startAllThatFit(ctx);
    }
}
