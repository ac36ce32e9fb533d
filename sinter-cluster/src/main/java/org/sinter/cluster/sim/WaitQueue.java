package org.sinter.cluster.sim;

import java.util.Comparator;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The waiting jobs in priority order, bucketed by GPU count. A scheduling pass mostly asks "the next
 * job, in order, that needs at most g GPUs" (g: what is free, or below the size that just failed to
 * fit); with one sorted set per GPU count that costs a look at each bucket's head, not a walk over
 * thousands of jobs that cannot start. Traces have few distinct GPU counts (about a dozen). The
 * simulator keeps the global queue in one; policies with a queue per virtual cluster keep one each.
 */
public final class WaitQueue {
    /** Rank (the policy's, lower first), then its order within a rank (arrival unless the policy says), then entry into the queue, then id: a total order. */
    static final Comparator<JobState> ORDER = Comparator.<JobState>comparingDouble(j -> j.queueRank)
            .thenComparingDouble(j -> j.queueOrder).thenComparingLong(j -> j.enqueued).thenComparingInt(j -> j.job.id());

    private final TreeMap<Integer, TreeSet<JobState>> byGpus = new TreeMap<>();
    private int size;

    public void add(JobState j) {
        byGpus.computeIfAbsent(j.job.gpus(), g -> new TreeSet<>(ORDER)).add(j);
        size++;
    }

    public boolean remove(JobState j) {
        TreeSet<JobState> bucket = byGpus.get(j.job.gpus());
        if (bucket == null || !bucket.remove(j)) return false;
        if (bucket.isEmpty()) byGpus.remove(j.job.gpus());
        size--;
        return true;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The smallest GPU count waiting, 0 when empty. */
    public int minGpus() {
        return byGpus.isEmpty() ? 0 : byGpus.firstKey();
    }

    /** The first job after {@code after} (null: from the start) in queue order that needs at most {@code maxGpus}. */
    public JobState next(JobState after, int maxGpus) {
        JobState best = null;
        for (var e : byGpus.headMap(maxGpus, true).values()) {
            JobState c = after == null ? e.first() : e.higher(after);
            if (c != null && (best == null || ORDER.compare(c, best) < 0)) best = c;
        }
        return best;
    }
}
