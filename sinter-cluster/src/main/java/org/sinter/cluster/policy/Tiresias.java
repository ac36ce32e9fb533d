package org.sinter.cluster.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * Tiresias' discretized two-dimensional least-attained-service (Gu et al., NSDI'19), which needs no
 * duration: a job's attained service is GPUs x seconds run; thresholds on it split jobs into
 * queues, and a job in a lower-numbered queue (less service) preempts running jobs of higher
 * queues. Within a queue, first come first served. Jobs fall to the next queue while running, so
 * the policy asks to be woken at the next threshold crossing. Short jobs finish in the first queue,
 * quickly, as SRTF would let them, without anyone knowing they were short. Tiresias' starvation
 * guard (promoting jobs that waited too long) is not modelled.
 */
public final class Tiresias implements Policy {
    /**
     * Four queues split at 1, 10 and 100 GPU-hours: geometric, like the paper's K-queue setting.
     * On Gavel's msr traces this lands within 4% of SRTF; one threshold at a GPU-hour (two queues)
     * is 39% behind it (docs/cluster.md has both).
     */
    public static final double[] DEFAULT_THRESHOLDS = {3600, 36000, 360000};
    /** Slack on threshold comparisons, so a job that reaches a threshold by float arithmetic counts as over it. */
    private static final double EPS = 1e-6;

    private final double[] thresholds;

    public Tiresias() {
        this(DEFAULT_THRESHOLDS);
    }

    /** @param thresholds attained GPU-seconds at which a job moves to the next queue, increasing */
    public Tiresias(double... thresholds) {
        for (int i = 0; i < thresholds.length; i++) {
            if (!(thresholds[i] > 0) || (i > 0 && thresholds[i] <= thresholds[i - 1])) {
                throw new IllegalArgumentException("tiresias thresholds must be positive and increasing, got " + Arrays.toString(thresholds));
            }
        }
        this.thresholds = thresholds.clone();
    }

    @Override
    public String name() {
        return "tiresias";
    }

    /** The queue a job is in with {@code attained} GPU-seconds: 0 for the least served. */
    public int queueOf(double attained) {
        int q = 0;
        while (q < thresholds.length && attained + EPS >= thresholds[q]) q++;
        return q;
    }

    @Override
    public double queueRank(JobState j) {
        return queueOf(j.attained());
    }

    @Override
    public void schedule(SchedulerContext ctx) {
        double now = ctx.now();
        PriorityPreemption.schedule(ctx, j -> queueOf(j.attainedAt(now)), () -> lowestFirst(ctx, now));
    }

    /**
     * Running jobs lowest-ranked first: by queue, highest (most served) first, later arrivals first
     * within a queue. Queues move with time, so there is no standing order: the jobs are bucketed by
     * queue (O(R)) and each bucket is heaped only when the walk reaches it, and popped as far as
     * the pass looks (usually a few jobs), instead of sorting all R per pass.
     */
    private Iterator<JobState> lowestFirst(SchedulerContext ctx, double now) {
        List<List<JobState>> byQueue = new ArrayList<>();
        for (int q = 0; q <= thresholds.length; q++) byQueue.add(new ArrayList<>());
        for (JobState r : ctx.running()) byQueue.get(queueOf(r.attainedAt(now))).add(r);
        Comparator<JobState> latestFirst = Comparator.<JobState>comparingDouble(j -> j.job.arrival()).thenComparingInt(j -> j.job.id()).reversed();
        return new Iterator<>() {
            int queue = thresholds.length;
            PriorityQueue<JobState> heap;

            @Override
            public boolean hasNext() {
                while ((heap == null || heap.isEmpty()) && queue >= 0) {
                    heap = new PriorityQueue<>(Math.max(1, byQueue.get(queue).size()), latestFirst);
                    heap.addAll(byQueue.get(queue--));
                }
                return heap != null && !heap.isEmpty();
            }

            @Override
            public JobState next() {
                if (!hasNext()) throw new NoSuchElementException();
                return heap.poll();
            }
        };
    }

    /** When the next running job crosses its queue's threshold: only matters while someone waits. */
    @Override
    public double nextWakeup(SchedulerContext ctx) {
        if (ctx.waitingCount() == 0) return Double.POSITIVE_INFINITY;
        double now = ctx.now(), next = Double.POSITIVE_INFINITY;
        for (JobState r : ctx.running()) {
            double a = r.attainedAt(now);
            int q = queueOf(a);
            if (q < thresholds.length) next = Math.min(next, now + (thresholds[q] - a) / r.job.gpus());
        }
        return next;
    }
}
