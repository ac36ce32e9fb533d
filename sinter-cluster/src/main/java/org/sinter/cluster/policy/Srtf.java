package org.sinter.cluster.policy;

import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * Shortest remaining time first with the duration oracle: preemptive SJF. An arriving job whose
 * remaining time is shorter than a running job's preempts it (checkpointed: its progress is kept).
 * Optimal for average completion time on one machine; the lower bound the others are read against.
 */
public final class Srtf implements Policy {
    private final PriorityPreemption.NodeSearchMemo memo = new PriorityPreemption.NodeSearchMemo();

    @Override
    public String name() {
        return "srtf";
    }

    @Override
    public double queueRank(JobState j) {
        return j.remaining();
    }

    @Override
    public void schedule(SchedulerContext ctx) {
        double now = ctx.now();
        // Remaining time is expected end minus now: the simulator's by-end order, read from the end, is lowest first.
        // On several GPU types remaining work is compared in reference seconds (a job on a slow type is no
        // longer for it), and the by-end order only approximates the rank order.
        PriorityPreemption.schedule(ctx, j -> j.remainingWorkAt(now), () -> ctx.runningByExpectedEnd().descendingIterator(), memo);
    }
}
