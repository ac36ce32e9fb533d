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
        // Only jobs up to `fits` GPUs can start: what is free, and below a size that failed to place
        // (placement is monotone in GPUs: if g GPUs cannot be found, neither can more; not so for a job
        // barred from some GPU type, or where a node's CPUs or memory may be what failed).
        int fits = ctx.freeGpus();
        for (JobState j = ctx.nextWaiting(null, fits); j != null; j = ctx.nextWaiting(j, fits)) {
            if (!ctx.tryStart(j) && ctx.failureBoundsLarger(j)) fits = j.job.gpus() - 1;
            fits = Math.min(fits, ctx.freeGpus());
        }
    }
}
