package org.sinter.cluster.policy;

import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * EASY backfilling (Lifka, 1995; the default of HPC batch schedulers): FIFO, but when the head job
 * does not fit it gets a reservation, the earliest time enough GPUs will be free if running jobs
 * end as estimated (here: the duration oracle), and later jobs may jump ahead if they cannot delay
 * it: they end before the reservation, or use only GPUs the head will not need then.
 * Non-preemptive. The reservation counts GPUs, not their nodes, so a head job that needs a whole
 * node may still wait past it when the freed GPUs are scattered. Like Slurm's {@code bf_max_job_test},
 * a pass looks at a bounded number of candidates behind the head: with tens of thousands queued,
 * looking at all of them every event would make the pass, not the cluster, the bottleneck.
 */
public final class EasyBackfill implements Policy {
    /** Slurm's historical default for bf_max_job_test. */
    public static final int DEFAULT_MAX_CANDIDATES = 100;

    private final int maxCandidates;

    public EasyBackfill() {
        this(DEFAULT_MAX_CANDIDATES);
    }

    public EasyBackfill(int maxCandidates) {
        if (maxCandidates < 1) throw new IllegalArgumentException("backfill needs at least one candidate per pass, got " + maxCandidates);
        this.maxCandidates = maxCandidates;
    }

    @Override
    public String name() {
        return "easy";
    }

    @Override
    public double queueRank(JobState j) {
        return j.job.arrival();
    }

    @Override
    public void schedule(SchedulerContext ctx) {
        QueueWalk.startUntilBlocked(ctx);
        JobState head = ctx.firstWaiting();
        if (head == null) return;
        double shadow = Double.POSITIVE_INFINITY;
        int free = ctx.freeGpus(), extra = 0;
        for (JobState r : ctx.runningByExpectedEnd()) {
            free += r.job.gpus();
            if (free >= head.job.gpus()) {
                shadow = r.expectedEnd();
                extra = free - head.job.gpus();
                break;
            }
        }
        double now = ctx.now();
        int fits = ctx.freeGpus(), looked = 0; // as in QueueWalk: larger jobs cannot start, so are not visited
        for (JobState j = ctx.nextWaiting(head, fits); j != null && looked++ < maxCandidates; j = ctx.nextWaiting(j, fits)) {
            boolean endsInTime = now + j.remaining() <= shadow;
            if (!endsInTime && j.job.gpus() > extra) continue;
            if (!ctx.tryStart(j) && ctx.failureBoundsLarger(j)) fits = j.job.gpus() - 1;
            else if (!endsInTime) extra -= j.job.gpus();
            fits = Math.min(fits, ctx.freeGpus());
        }
    }
}
