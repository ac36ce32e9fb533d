package org.sinter.cluster.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * Tiresias' discretized two-dimensional least-attained-service (Gu et al., NSDI'19), which needs no
 * duration: a job's attained service is GPUs x seconds run; thresholds on it split jobs into
 * queues, and a job in a lower-numbered queue (less service) preempts running jobs of higher
 * queues. Within a queue, first come first served. Jobs fall to the next queue while running, so
 * the policy asks to be woken at the next threshold crossing. Short jobs finish in the first queue,
 * quickly, as SRTF would let them, without anyone knowing they were short.
 *
 * <p>Starvation guard (the paper's PROMOTEKNOB, off by default): a job that has waited more than
 * {@code promoteKnob} times the length of its last run is promoted to the first queue, its attained
 * service counted from zero again (as if it had just arrived), so a long job preempted by a stream
 * of short ones still gets a turn.
 *
 * <p>Running jobs are kept in one set per queue, moved when they cross a threshold (a set of the
 * next crossings, soonest first), so a pass finds the lowest-ranked running jobs and the next
 * wake-up in O(log R) instead of looking at every running job. An instance serves one replay.
 */
public final class Tiresias implements Policy {
    /**
     * Four queues split at 1, 10 and 100 GPU-hours: geometric, like the paper's K-queue setting.
     * One threshold at a GPU-hour (two queues) is compared in docs/cluster.md.
     */
    public static final double[] DEFAULT_THRESHOLDS = {3600, 36000, 360000};
    /** Slack on threshold comparisons, so a job that reaches a threshold by float arithmetic counts as over it. */
    private static final double EPS = 1e-6;
    private static final Comparator<JobState> BY_ARRIVAL = Comparator.<JobState>comparingDouble(j -> j.job.arrival()).thenComparingInt(j -> j.job.id());

    private record Crossing(double time, JobState job) {}

    private final double[] thresholds;
    private final double promoteKnob;
    private final boolean entryOrder;
    /** When each job entered its current queue (arrival, demotion, promotion): the order within a queue under {@code entryOrder}. */
    private final Map<JobState, Double> enteredQueue = new HashMap<>();
    /** Jobs demoted at this pass's instant: under {@code entryOrder} they queue behind their new queue's waiting jobs. */
    private final Set<JobState> demotedNow = new HashSet<>();
    private final PriorityPreemption.NodeSearchMemo memo = new PriorityPreemption.NodeSearchMemo();
    /** Service already attained when a job was last promoted: its queue counts from there. */
    private final Map<JobState, Double> serviceBase = new HashMap<>();
    /** How long each job's last run lasted (the starvation guard's unit of waiting). */
    private final Map<JobState, Double> lastRun = new HashMap<>();
    private final Map<JobState, Crossing> promotionOf = new HashMap<>();
    private final TreeSet<Crossing> promotions = new TreeSet<>(
            Comparator.comparingDouble(Crossing::time).thenComparingInt(c -> c.job().job.id()));
    private final List<TreeSet<JobState>> runningByQueue = new ArrayList<>();
    private final Map<JobState, Integer> queueOfRunning = new HashMap<>();
    private final Map<JobState, Crossing> crossingOf = new HashMap<>();
    private final TreeSet<Crossing> crossings = new TreeSet<>(
            Comparator.comparingDouble(Crossing::time).thenComparingInt(c -> c.job().job.id()));

    public Tiresias() {
        this(DEFAULT_THRESHOLDS);
    }

    /** @param thresholds attained GPU-seconds at which a job moves to the next queue, increasing */
    public Tiresias(double... thresholds) {
        this(0, thresholds);
    }

    /**
     * @param promoteKnob promote a waiting job after it waited this many times its last run (0: never)
     * @param thresholds  attained GPU-seconds at which a job moves to the next queue, increasing
     */
    public Tiresias(double promoteKnob, double[] thresholds) {
        this(promoteKnob, thresholds, false);
    }

    /**
     * @param entryOrder order each queue by when jobs entered it, and put a job demoted into a queue
     *                   behind the jobs already waiting there (it yields its GPUs to them), as the
     *                   Tiresias authors' simulator does: a multi-level feedback queue. Off: each
     *                   queue in arrival order, and a demoted job keeps running unless a job of a
     *                   lower queue needs its GPUs.
     */
    public Tiresias(double promoteKnob, double[] thresholds, boolean entryOrder) {
        this.entryOrder = entryOrder;
        if (!(promoteKnob >= 0)) throw new IllegalArgumentException("tiresias promote knob must be >= 0, got " + promoteKnob);
        this.promoteKnob = promoteKnob;
        for (int i = 0; i < thresholds.length; i++) {
            if (!(thresholds[i] > 0) || (i > 0 && thresholds[i] <= thresholds[i - 1])) {
                throw new IllegalArgumentException("tiresias thresholds must be positive and increasing, got " + Arrays.toString(thresholds));
            }
        }
        this.thresholds = thresholds.clone();
        Comparator<JobState> byEntry = Comparator.<JobState>comparingDouble(j -> enteredQueue.getOrDefault(j, j.job.arrival())).thenComparingInt(j -> j.job.id());
        for (int q = 0; q <= thresholds.length; q++) runningByQueue.add(new TreeSet<>(entryOrder ? byEntry : BY_ARRIVAL));
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

    /** Service that counts for the queue: since the job's last promotion. */
    private double service(JobState j, double t) {
        return j.attainedAt(t) - serviceBase.getOrDefault(j, 0.0);
    }

    /** {@link #service} of a waiting job. */
    private double waitingService(JobState j) {
        return j.attained() - serviceBase.getOrDefault(j, 0.0);
    }

    @Override
    public double queueRank(JobState j) {
        return queueOf(waitingService(j));
    }

    @Override
    public double queueOrder(JobState j) {
        return entryOrder ? enteredQueue.getOrDefault(j, j.job.arrival()) : j.job.arrival();
    }

    @Override
    public void onStart(JobState j, double now) {
        Crossing p = promotionOf.remove(j);
        if (p != null) promotions.remove(p);
        track(j, queueOf(service(j, now)));
    }

    @Override
    public void onStop(JobState j, double now) {
        demotedNow.remove(j); // stopped, it is an ordinary waiting job: restarted, it does not yield again (no preemption cycles)
        runningByQueue.get(queueOfRunning.remove(j)).remove(j);
        Crossing c = crossingOf.remove(j);
        if (c != null) crossings.remove(c);
        if (!Double.isNaN(j.finish())) { // done: forget it
            serviceBase.remove(j);
            lastRun.remove(j);
            enteredQueue.remove(j);
        } else {
            lastRun.put(j, now - j.resumedAt());
        }
    }

    @Override
    public void onEnqueue(JobState j, double now) {
        enteredQueue.putIfAbsent(j, j.job.arrival());
        Double ran = lastRun.get(j);
        if (promoteKnob > 0 && ran != null && queueOf(service(j, now)) > 0) {
            Crossing p = new Crossing(now + promoteKnob * ran, j);
            promotionOf.put(j, p);
            promotions.add(p);
        }
    }

    /** Moves every waiting job whose wait passed its limit to the first queue. */
    private void promote(SchedulerContext ctx, double now) {
        while (!promotions.isEmpty() && promotions.first().time() <= now) {
            JobState j = promotions.pollFirst().job();
            promotionOf.remove(j);
            serviceBase.put(j, j.attained());
            enteredQueue.put(j, now);
            ctx.rerank(j, 0);
        }
    }

    private void track(JobState j, int queue) {
        queueOfRunning.put(j, queue);
        runningByQueue.get(queue).add(j);
        if (queue < thresholds.length) {
            double serviceAtResume = service(j, j.resumedAt());
            Crossing c = new Crossing(j.resumedAt() + (thresholds[queue] - serviceAtResume) / j.job.gpus(), j);
            crossingOf.put(j, c);
            crossings.add(c);
        }
    }

    /** Moves every running job that has crossed a threshold by {@code now} to its new queue. */
    private void demote(double now) {
        while (!crossings.isEmpty()) {
            Crossing c = crossings.first();
            JobState j = c.job();
            int queue = queueOf(service(j, now));
            if (queue <= queueOfRunning.get(j)) break; // the soonest crossing is still ahead
            onStop(j, now);
            memo.clear(); // a running job's rank rose: a one-node search may now succeed
            if (entryOrder) {
                enteredQueue.put(j, c.time());
                demotedNow.add(j);
            }
            track(j, queue);
        }
    }

    @Override
    public void schedule(SchedulerContext ctx) {
        double now = ctx.now();
        demotedNow.clear();
        demote(now);
        promote(ctx, now);
        // a job just demoted ranks half a queue below its new queue's waiting jobs: they may take its GPUs
        PriorityPreemption.schedule(ctx, j -> j.running() ? queueOfRunning.get(j) + (demotedNow.contains(j) ? 0.5 : 0) : queueOf(waitingService(j)),
                this::lowestFirst, memo);
    }

    /** Running jobs by queue, highest (most served) first, later arrivals (entries) first within a queue. */
    private Iterator<JobState> lowestFirst() {
        List<JobState> none = List.of();
        Iterator<JobState> it = none.iterator();
        for (int q = 0; q <= thresholds.length; q++) {
            Iterator<JobState> lower = it, here = runningByQueue.get(q).descendingIterator();
            it = new Iterator<>() { // higher queues come first: this queue, then the ones below it
                @Override
                public boolean hasNext() {
                    return here.hasNext() || lower.hasNext();
                }

                @Override
                public JobState next() {
                    return here.hasNext() ? here.next() : lower.next();
                }
            };
        }
        return it;
    }

    /** When the next running job crosses its queue's threshold (only matters while someone waits), or a waiting job is promoted. */
    @Override
    public double nextWakeup(SchedulerContext ctx) {
        double t = Double.POSITIVE_INFINITY;
        if (ctx.waitingCount() > 0 && !crossings.isEmpty()) t = crossings.first().time();
        if (!promotions.isEmpty()) t = Math.min(t, promotions.first().time());
        return t == Double.POSITIVE_INFINITY ? t : Math.max(t, Math.nextUp(ctx.now()));
    }
}
