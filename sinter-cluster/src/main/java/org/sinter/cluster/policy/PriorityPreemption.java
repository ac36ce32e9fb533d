package org.sinter.cluster.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiPredicate;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * The scheduling pass of a preemptive priority policy (SRTF, Tiresias): start what fits in priority
 * order, then let each waiting job that outranks running ones preempt the lowest-ranked of them,
 * just enough to make room. Preemption is lazy, only for a job that then starts, so a pass never
 * stops a job for nothing unless the freed GPUs turn out to be in the wrong places.
 */
final class PriorityPreemption {
    private PriorityPreemption() {}

    /**
     * @param priorityNow highest priority first, evaluated at the current time for running and waiting jobs
     * @param mayPreempt  whether the waiting job (first) outranks the running one (second) enough to stop it
     */
    static void schedule(SchedulerContext ctx, Comparator<JobState> priorityNow, BiPredicate<JobState, JobState> mayPreempt) {
        QueueWalk.startAllThatFit(ctx);
        JobState head = ctx.firstWaiting();
        if (head == null || ctx.running().isEmpty()) return;
        // Sorting the running jobs is the costly part: only when the best waiting job beats the worst running one.
        JobState worst = null;
        for (JobState r : ctx.running()) if (worst == null || priorityNow.compare(r, worst) > 0) worst = r;
        if (!mayPreempt.test(head, worst)) return;
        List<JobState> victims = new ArrayList<>(ctx.running());
        victims.sort(priorityNow); // lowest priority last
        for (JobState w = head; w != null && !victims.isEmpty(); w = ctx.nextWaiting(w)) {
            if (w.running()) continue; // a victim restarted in the freed room
            int room = ctx.freeGpus(), needed = 0;
            for (int i = victims.size() - 1; i >= 0 && room < w.job.gpus() && mayPreempt.test(w, victims.get(i)); i--) {
                room += victims.get(i).job.gpus();
                needed++;
            }
            if (room < w.job.gpus()) {
                if (!mayPreempt.test(w, victims.getLast())) break; // later jobs rank lower still
                continue;
            }
            for (int k = 0; k < needed; k++) ctx.preempt(victims.removeLast());
            ctx.tryStart(w);
        }
        QueueWalk.startAllThatFit(ctx);
    }
}
