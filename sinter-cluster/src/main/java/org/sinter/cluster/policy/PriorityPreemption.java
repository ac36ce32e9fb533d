package org.sinter.cluster.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * The scheduling pass of a preemptive priority policy (SRTF, Tiresias): start what fits in priority
 * order, then let each waiting job that outranks running ones preempt the lowest-ranked of them,
 * just enough to make room, and only when the freed GPUs would hold it (a what-if on the cluster),
 * so a pass never stops a job for nothing. Rank is a number, lower first (remaining time, queue
 * index), ties broken by arrival; a job preempts another only on a strictly lower rank, so equals
 * never take turns.
 */
final class PriorityPreemption {
    private PriorityPreemption() {}

    /** A running job with its rank computed once per pass: sorting compares numbers, not recomputed keys. */
    private record Ranked(JobState job, double rank) {}

    private static final Comparator<Ranked> ORDER = Comparator.comparingDouble(Ranked::rank)
            .thenComparingDouble(r -> r.job().job.arrival()).thenComparingInt(r -> r.job().job.id());

    /** @param rankNow a job's rank at the current time, lower runs first; must agree with the policy's queue order for waiting jobs */
    static void schedule(SchedulerContext ctx, ToDoubleFunction<JobState> rankNow) {
        QueueWalk.startAllThatFit(ctx);
        JobState head = ctx.firstWaiting();
        if (head == null || ctx.running().isEmpty()) return;
        List<Ranked> victims = new ArrayList<>(ctx.running().size());
        double worst = Double.NEGATIVE_INFINITY;
        for (JobState r : ctx.running()) {
            Ranked k = new Ranked(r, rankNow.applyAsDouble(r));
            victims.add(k);
            worst = Math.max(worst, k.rank());
        }
        if (!(rankNow.applyAsDouble(head) < worst)) return; // nobody waiting outranks anybody running
        victims.sort(ORDER); // lowest priority last
        // A job that cannot get room makes every lower-ranked job at least as large hopeless too
        // (fewer victims below it, more GPUs to find): the bound that keeps long queues cheap.
        int hopelessFrom = Integer.MAX_VALUE;
        for (JobState w = head; w != null && !victims.isEmpty(); w = ctx.nextWaiting(w, hopelessFrom - 1)) {
            double rank = rankNow.applyAsDouble(w);
            if (!(rank < victims.getLast().rank())) break; // later jobs rank lower still
            int room = ctx.freeGpus(), from = victims.size();
            while (from > 0 && room < w.job.gpus() && rank < victims.get(from - 1).rank()) room += victims.get(--from).job().job.gpus();
            List<JobState> chosen = new ArrayList<>(victims.size() - from);
            for (int i = from; i < victims.size(); i++) chosen.add(victims.get(i).job());
            // Enough GPUs may still be the wrong ones (a job that needs one node): then stop nobody for it.
            if (room < w.job.gpus() || !ctx.fitsAfterPreempting(w, chosen)) {
                hopelessFrom = w.job.gpus();
                continue;
            }
            for (JobState v : chosen) ctx.preempt(v);
            victims.subList(from, victims.size()).clear();
            ctx.tryStart(w);
        }
        QueueWalk.startAllThatFit(ctx);
    }
}
