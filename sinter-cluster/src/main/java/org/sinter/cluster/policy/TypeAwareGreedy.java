package org.sinter.cluster.policy;

import java.util.ArrayList;
import java.util.List;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * FIFO or SJF that sees GPU types (heterogeneity-aware, after Gavel, Narayanan et al., OSDI'20):
 * the same queue order and non-preemptive passes as {@link Fifo} and {@link Sjf}, but each job starts
 * on a GPU type it chooses instead of wherever the type-blind placement lands it.
 * <ul>
 *   <li>{@code perf} ({@code fifo-perf}, {@code sjf-perf}): the type with room on which the job runs
 *   fastest (Gavel's "performance-aware" greedy baseline).</li>
 *   <li>{@code affinity} ({@code fifo-affinity}, {@code sjf-affinity}): the type with room where the
 *   job's speed, relative to the average job's speed on that type, is highest: comparative advantage,
 *   so the jobs that lose least on an old GPU are the ones that take it (the idea behind Gavel's
 *   normalised throughputs). The average is over the jobs that have arrived so far, so nothing
 *   about future jobs is read.</li>
 * </ul>
 * Both read each job's per-type duration (the throughput oracle Gavel's policies use); on a cluster of
 * one type they are FIFO and SJF.
 */
public final class TypeAwareGreedy implements Policy {
    /** How a job's GPU type is chosen among those with room. */
    public enum Choice { PERF, AFFINITY }

    private final boolean shortestFirst;
    private final Choice choice;
    /** Arrived jobs not yet folded into the per-type average speeds (folded in the next pass, which has the oracle). */
    private final List<JobState> arrived = new ArrayList<>();
    private double[] speedSum = new double[0];
    private long speedCount;
    private SchedulerContext context; // a policy object may serve several replays: the averages are per replay

    public TypeAwareGreedy(boolean shortestFirst, Choice choice) {
        this.shortestFirst = shortestFirst;
        this.choice = choice;
    }

    @Override
    public String name() {
        return (shortestFirst ? "sjf-" : "fifo-") + (choice == Choice.PERF ? "perf" : "affinity");
    }

    @Override
    public double queueRank(JobState j) {
        return shortestFirst ? j.job.duration() : j.job.arrival();
    }

    @Override
    public void onEnqueue(JobState job, double now) {
        if (job.preemptions() == 0) arrived.add(job);
    }

    @Override
    public void schedule(SchedulerContext ctx) {
        if (ctx != context) {
            context = ctx;
            speedSum = new double[ctx.gpuTypes()];
            speedCount = 0;
        }
        for (JobState j : arrived) {
            for (int t = 0; t < speedSum.length; t++) speedSum[t] += j.job.duration() / ctx.durationOn(j, t); // 0 where it cannot run
            speedCount++;
        }
        arrived.clear();
        if (shortestFirst) {
            int fits = ctx.freeGpus(); // as QueueWalk.startAllThatFit: larger jobs than a failed one cannot start
            for (JobState j = ctx.nextWaiting(null, fits); j != null; j = ctx.nextWaiting(j, fits)) {
                int type = choose(ctx, j);
                if ((type < 0 || !ctx.tryStartOn(j, type)) && ctx.failureBoundsLarger(j)) fits = j.job.gpus() - 1;
                fits = Math.min(fits, ctx.freeGpus());
            }
        } else {
            for (JobState j = ctx.firstWaiting(); j != null; j = ctx.firstWaiting()) {
                int type = choose(ctx, j);
                if (type < 0 || !ctx.tryStartOn(j, type)) return; // strict order: the head blocks
            }
        }
    }

    /** The type for {@code j} among those with room now, or -1. */
    private int choose(SchedulerContext ctx, JobState j) {
        int best = -1;
        double bestScore = 0;
        for (int t = 0; t < ctx.gpuTypes(); t++) {
            if (!ctx.runsOn(j, t) || !ctx.fitsOn(t, j.job.gpus())) continue;
            double speed = j.job.duration() / ctx.durationOn(j, t);
            double score = choice == Choice.PERF ? speed : speed / (speedSum[t] / speedCount);
            if (best < 0 || score > bestScore) {
                best = t;
                bestScore = score;
            }
        }
        return best;
    }
}
