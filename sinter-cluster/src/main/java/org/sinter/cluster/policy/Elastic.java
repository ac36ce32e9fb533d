package org.sinter.cluster.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * Elastic scheduling in the spirit of AFS (Hwang et al., NSDI'21) and Pollux (Qiao et al., OSDI'21),
 * without their throughput models: elastic jobs ({@link org.sinter.cluster.Job#elastic()}) run on any
 * GPU count in their {@code minGpus..maxGpus}, at the speed of their scaling curve (linear with an
 * efficiency factor, {@link org.sinter.cluster.JobTraits#throughput}). Each pass, in shortest-job
 * order (the duration oracle, as SJF's):
 * <ol>
 *   <li><b>Admit.</b> Waiting jobs are admitted while their smallest size fits in the free GPUs plus
 *   what running elastic jobs hold above their minimum; those are shrunk, longest remaining first,
 *   just enough to make the room. A rigid job asks for its own count.</li>
 *   <li><b>Start.</b> Admitted elastic jobs start at their minimum plus what is left free, shortest
 *   first, up to their maximum (the largest such size that can be placed).</li>
 *   <li><b>Grow.</b> GPUs still free go to running elastic jobs, shortest remaining first, up to
 *   their maximum (the largest size that can be placed), when the time saved beats the cost of a resize ({@code rescaleSeconds}: a resize is
 *   a checkpoint and restart at the new size).</li>
 * </ol>
 * Shrinking to admit spreads GPUs over more jobs: with sub-linear scaling the GPUs do more work
 * that way, and no job waits while others run above their minimum. A resize is not a preemption; a
 * job is never stopped. Each pass looks at the wait queue while there is room and at every running
 * job (O(queue + running) per pass: a policy for studies, not for the 100,000-job scale runs).
 */
public final class Elastic implements Policy {
    /** The resize cost the command line's {@code elastic} assumes: a checkpoint and restart of a minute (it grows a job only to save more). */
    public static final double DEFAULT_RESCALE_SECONDS = 60;

    private final double rescaleSeconds;
    private long resizes;

    /** @param rescaleSeconds what a resize is taken to cost, in seconds of the job's time: it grows only when that saves more */
    public Elastic(double rescaleSeconds) {
        if (!(rescaleSeconds >= 0) || Double.isInfinite(rescaleSeconds)) throw new IllegalArgumentException("elastic: rescale cost must be a finite number of seconds >= 0, got " + rescaleSeconds);
        this.rescaleSeconds = rescaleSeconds;
    }

    @Override
    public String name() {
        return "elastic";
    }

    /** Resizes of running jobs so far (shrinks to admit and grows into free GPUs). */
    public long resizes() {
        return resizes;
    }

    @Override
    public double queueRank(JobState j) {
        return j.job.duration();
    }

    @Override
    public boolean schedulesGpuShares() {
        return false; // sizes are whole GPUs
    }

    @Override
    public void schedule(SchedulerContext ctx) {
        double now = ctx.now();
        List<JobState> elastic = new ArrayList<>();
        int spare = 0; // GPUs running elastic jobs hold above their minimum
        for (JobState r : ctx.running()) {
            if (!r.job.elastic()) continue;
            elastic.add(r);
            spare += r.gpusHeld() - r.job.minGpus();
        }
        Comparator<JobState> shortestFirst = Comparator.comparingDouble((JobState r) -> r.remainingWorkAt(now)).thenComparingInt(r -> r.job.id());
        elastic.sort(shortestFirst);

        // Admit in queue order while the smallest sizes fit; a job that does not fit is skipped (a smaller one may).
        List<JobState> admitted = new ArrayList<>();
        int budget = ctx.freeGpus() + spare, asked = 0;
        for (JobState w = ctx.firstWaiting(); w != null && budget > 0; w = ctx.nextWaiting(w, Integer.MAX_VALUE)) {
            int need = w.job.minGpus();
            if (need > budget) continue;
            admitted.add(w);
            budget -= need;
            asked += need;
        }
        if (asked > ctx.freeGpus()) shrink(ctx, elastic, asked - ctx.freeGpus());

        // Start: minimum first for all, then what is left free to the shortest admitted, up to their maximum.
        int extra = Math.max(0, ctx.freeGpus() - asked);
        boolean stuck = false;
        for (JobState w : admitted) {
            int size = w.job.minGpus();
            if (w.job.elastic()) {
                // the largest size up to min + extra that can be placed (GPUs may sit on the wrong nodes for more)
                for (int more = Math.min(extra, w.job.maxGpus() - size); more > 0; more--) {
                    if (ctx.tryStart(w, size + more)) {
                        extra -= more;
                        break;
                    }
                }
                if (w.running()) continue;
            }
            stuck |= !(w.job.elastic() ? ctx.tryStart(w, size) : ctx.tryStart(w)); // GPUs in the wrong places: it waits
        }
        // GPUs freed for a job that could not be placed on them stay free for it (growing back into them would undo the shrink each pass).
        if (!stuck) grow(ctx, elastic, now);
    }

    /** Takes {@code need} GPUs from running elastic jobs above their minimum, longest remaining first. */
    private void shrink(SchedulerContext ctx, List<JobState> elastic, int need) {
        for (int i = elastic.size() - 1; i >= 0 && need > 0; i--) {
            JobState r = elastic.get(i);
            int give = Math.min(need, r.gpusHeld() - r.job.minGpus());
            if (give > 0 && ctx.tryResize(r, r.gpusHeld() - give)) {
                need -= give;
                resizes++;
            }
        }
    }

    /** Gives free GPUs to running elastic jobs, shortest remaining first, where the time saved beats a resize's cost. */
    private void grow(SchedulerContext ctx, List<JobState> elastic, double now) {
        for (JobState r : elastic) {
            int free = ctx.freeGpus();
            if (free == 0) return;
            if (!r.running()) continue;
            int held = r.gpusHeld(), to = Math.min(r.job.maxGpus(), held + free);
            if (to <= held) continue;
            double left = r.remainingWorkAt(now); // seconds at its own size
            // the largest size that saves more than a resize costs and can be placed (the GPUs free may be on the wrong nodes for more)
            for (; to > held && left * (r.job.timeScale(held) - r.job.timeScale(to)) > rescaleSeconds; to--) {
                if (ctx.tryResize(r, to)) {
                    resizes++;
                    break;
                }
            }
        }
    }
}
