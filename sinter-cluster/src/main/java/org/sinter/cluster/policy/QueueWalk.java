package org.sinter.cluster.policy;

import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/** Starting waiting jobs in queue order, the step every policy here shares. */
final class QueueWalk {
    private QueueWalk() {}

    /** Starts jobs in queue order until the first that does not fit: strict order, head-of-line blocking. */
    static void startUntilBlocked(SchedulerContext ctx) {
        for (JobState j = ctx.firstWaiting(); j != null && ctx.tryStart(j); j = ctx.firstWaiting()) {
            // each start removes the head; the next job becomes the head
        }
    }

    /** Starts every job, in queue order, that fits now, skipping those that do not (work conserving). */
    static void startAllThatFit(SchedulerContext ctx) {
        for (JobState j = ctx.firstWaiting(); j != null && ctx.freeGpus() >= ctx.minWaitingGpus(); ) {
            JobState next = ctx.nextWaiting(j);
            ctx.tryStart(j);
            j = next;
        }
    }
}
