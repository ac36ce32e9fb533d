package org.sinter.cluster.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
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
        List<JobState> sorted = new ArrayList<>(); // sorted once per pass, when first needed
        PriorityPreemption.schedule(ctx, j -> queueOf(j.attainedAt(now)), () -> {
            if (sorted.isEmpty()) sorted.addAll(lowestFirst(ctx, now));
            return sorted.stream().filter(JobState::running).iterator();
        });
    }

    /**
     * Running jobs by queue, highest (most served) first, later arrivals first within a queue. Queues
     * move with time, so this sorts: O(R log R) per pass that can preempt, the cost docs/cluster.md
     * measures at scale.
     */
    private List<JobState> lowestFirst(SchedulerContext ctx, double now) {
        record Ranked(JobState job, int queue) {}
        List<Ranked> ranked = new ArrayList<>(ctx.running().size());
        for (JobState r : ctx.running()) ranked.add(new Ranked(r, queueOf(r.attainedAt(now))));
        ranked.sort(Comparator.comparingInt(Ranked::queue).thenComparingDouble(r -> r.job().job.arrival())
                .thenComparingInt(r -> r.job().job.id()).reversed());
        return ranked.stream().map(Ranked::job).toList();
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
