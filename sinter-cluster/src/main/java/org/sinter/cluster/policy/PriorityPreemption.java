package org.sinter.cluster.policy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * The scheduling pass of a preemptive priority policy (SRTF, Tiresias): start what fits in priority
 * order, then let each waiting job that outranks running ones preempt the lowest-ranked of them,
 * just enough to make room, and only when the freed GPUs would hold it (a what-if on the cluster),
 * so a pass never stops a job for nothing. Rank is a number, lower first (remaining time, queue
 * index); a job preempts another only on a strictly lower rank, so equals never take turns. The
 * jobs' own priorities ({@link org.sinter.cluster.Job#priority()}) come first: a job never preempts
 * one of higher priority, and preempts one of lower priority whatever their ranks (the victims are
 * still read in the policy's order, up to the first one the job does not outrank). Jobs that are not
 * preemptible are never victims.
 * Running jobs are read lowest-ranked first from the policy's iterator, lazily: a pass that
 * preempts one job looks at one or two of thousands.
 */
final class PriorityPreemption {
    /**
     * How many of the least important running jobs the one-node search looks at (like Slurm's
     * bf_max_job_test for backfilling): a job whose room would need more important ones waits,
     * and a failed search costs this much, not a walk over thousands of running jobs.
     */
    static final int NODE_SEARCH_LIMIT = 128;

    private PriorityPreemption() {}

    /**
     * @param rankNow     a job's rank at the current time, lower runs first; for a waiting job it must
     *                    agree with the policy's queue rank
     * @param lowestFirst the running jobs, lowest-ranked (highest rank) first; asked again after each preemption
     */
    static void schedule(SchedulerContext ctx, ToDoubleFunction<JobState> rankNow, Supplier<Iterator<JobState>> lowestFirst, NodeSearchMemo memo) {
        QueueWalk.startAllThatFit(ctx);
        JobState head = ctx.firstWaiting();
        if (head == null || ctx.running().isEmpty()) return;
        Victims victims = new Victims(lowestFirst.get());
        // A job that cannot get room makes every lower-ranked job at least as large hopeless too
        // (fewer victims below it, more GPUs to find): the bound that keeps long queues cheap. With
        // mixed priorities a later larger job of higher priority might have found room: it waits for
        // the next pass that frees GPUs (a missed preemption, never a wrong one).
        int hopelessFrom = Integer.MAX_VALUE;
        for (JobState w = head; w != null; w = ctx.nextWaiting(w, hopelessFrom - 1)) {
            double rank = rankNow.applyAsDouble(w);
            JobState lowest = victims.get(0);
            if (lowest == null) break;
            if (!outranks(w, rank, lowest, rankNow)) {
                if (!ctx.mixedPriorities()) break; // later jobs rank lower still
                continue; // a later job of higher priority may outrank it
            }
            int room = ctx.freeGpus(), k = 0;
            for (JobState v; room < w.job.gpus() && (v = victims.get(k)) != null && outranks(w, rank, v, rankNow); k++) room += v.job.gpus();
            if (room < w.job.gpus()) {
                hopelessFrom = w.job.gpus();
                continue;
            }
            List<JobState> chosen = victims.firstOf(k);
            // Enough GPUs may still be the wrong ones (a job that needs one node): then look for one
            // node where lower-ranked jobs hold enough, and stop nobody if there is none.
            if (!ctx.fitsAfterPreempting(w, chosen)) {
                chosen = memo.knownToFail(ctx, w, rank) ? null : onOneNode(ctx, w, rank, victims, rankNow, memo.room(ctx.nodes()));
                if (chosen == null || !ctx.fitsAfterPreempting(w, chosen)) {
                    memo.failed(ctx, w, rank);
                    hopelessFrom = w.job.gpus();
                    continue;
                }
            }
            for (JobState v : chosen) ctx.preempt(v);
            ctx.tryStart(w);
            victims = new Victims(lowestFirst.get()); // the preempted are gone from it; the source may be a live view
        }
        QueueWalk.startAllThatFit(ctx);
    }

    /** Whether waiting {@code w} (at {@code rank}) may preempt running {@code v}: a higher priority, or the same and a lower rank. */
    private static boolean outranks(JobState w, double rank, JobState v, ToDoubleFunction<JobState> rankNow) {
        int p = w.job.priority(), q = v.job.priority();
        return p != q ? p > q : rank < rankNow.applyAsDouble(v);
    }

    /**
     * For a job that must sit on one node: the node where preempting the least important jobs makes
     * room, or null. Lower-ranked running jobs are taken least important first, each adding its GPUs
     * to the room of the nodes it is on; the first node to reach the job's need is the one whose most
     * important victim is least important, and its victims so far are the ones to stop. The walk stops
     * there, so a success looks at as many running jobs as it needs, not at all of them.
     */
    private static List<JobState> onOneNode(SchedulerContext ctx, JobState w, double rank, Victims victims, ToDoubleFunction<JobState> rankNow, int[] room) {
        int need = w.job.gpus();
        if (need > ctx.gpusPerNode()) return null;
        // room[node] = free GPUs plus the victims' GPUs there, -1 until a victim is seen on the node;
        // the array is reused between searches, so the nodes of the victims looked at go back to -1
        try {
            return walk(ctx, w, need, rank, victims, rankNow, room);
        } finally {
            for (int k = 0; k < Math.min(NODE_SEARCH_LIMIT, victims.size); k++) {
                for (int node : victims.seen[k].allocation().nodes()) room[node] = -1;
            }
        }
    }

    private static List<JobState> walk(SchedulerContext ctx, JobState w, int need, double rank, Victims victims, ToDoubleFunction<JobState> rankNow, int[] room) {
        for (int k = 0; k < NODE_SEARCH_LIMIT; k++) {
            JobState v = victims.get(k);
            if (v == null || !outranks(w, rank, v, rankNow)) return null;
            int[] nodes = v.allocation().nodes();
            for (int i = 0; i < nodes.length; i++) {
                int node = nodes[i];
                if (room[node] < 0) room[node] = ctx.freeOn(node);
                room[node] += v.allocation().gpus()[i];
                if (room[node] >= need) {
                    List<JobState> taken = new ArrayList<>();
                    for (int q = 0; q <= k; q++) {
                        JobState u = victims.get(q);
                        for (int n : u.allocation().nodes()) {
                            if (n == node) {
                                taken.add(u);
                                break;
                            }
                        }
                    }
                    return taken;
                }
            }
        }
        return null;
    }

    /**
     * Remembers one-node searches that failed, so that passes which changed nothing (an arrival, a
     * wake-up) do not repeat them: with the same jobs on the same GPUs, a search for as many GPUs at
     * a rank no more urgent fails again, provided running jobs' ranks only fall with time (SRTF's
     * remaining time) or the policy calls {@link #clear} when they rise (Tiresias' demotions).
     */
    static final class NodeSearchMemo {
        private SchedulerContext context; // a policy object may serve several replays
        private long version = -1;
        /** Per GPU count and priority (a job of higher priority has other victims), the most urgent rank that failed. */
        private final java.util.Map<Long, Double> failedAt = new java.util.HashMap<>();
        private int[] room = new int[0];

        /** The one-node search's scratch array, all -1 between searches. */
        int[] room(int nodes) {
            if (room.length != nodes) {
                room = new int[nodes];
                java.util.Arrays.fill(room, -1);
            }
            return room;
        }

        void clear() {
            failedAt.clear();
        }

        private static long key(JobState w) {
            return ((long) w.job.priority() << 32) | w.job.gpus();
        }

        boolean knownToFail(SchedulerContext ctx, JobState w, double rank) {
            if (ctx != context || ctx.allocationVersion() != version) return false;
            Double r = failedAt.get(key(w));
            return r != null && rank >= r;
        }

        void failed(SchedulerContext ctx, JobState w, double rank) {
            if (ctx != context || ctx.allocationVersion() != version) {
                failedAt.clear();
                context = ctx;
                version = ctx.allocationVersion();
            }
            failedAt.merge(key(w), rank, Math::min);
        }
    }

    /** Running jobs pulled from the iterator as needed, into an array (the one-node search reads up to 128 per pass). */
    private static final class Victims {
        final Iterator<JobState> source;
        JobState[] seen = new JobState[16];
        int size;

        Victims(Iterator<JobState> source) {
            this.source = source;
        }

        JobState get(int i) {
            while (size <= i && source.hasNext()) {
                JobState next = source.next();
                if (!next.job.preemptible()) continue; // never a victim
                if (size == seen.length) seen = java.util.Arrays.copyOf(seen, size * 2);
                seen[size++] = next;
            }
            return i < size ? seen[i] : null;
        }

        /** A copy of the first {@code k} seen: the jobs to stop, unaffected by later pulls. */
        List<JobState> firstOf(int k) {
            return java.util.Arrays.asList(java.util.Arrays.copyOf(seen, k));
        }
    }
}
