package org.sinter.cluster.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The waiting jobs in priority order, bucketed by GPU count. A scheduling pass mostly asks "the next
 * job, in order, that needs at most g GPUs" (g: what is free, or below the size that just failed to
 * fit); with one sorted set per GPU count that costs a look at each bucket's head, not a walk over
 * thousands of jobs that cannot start. Jobs that use a share of one GPU sit in bucket 0 (less than a
 * GPU), which every question includes. Traces have few distinct GPU counts (about a dozen). The
 * simulator keeps the global queue in one; policies with a queue per virtual cluster keep one each.
 * <p>
 * The buckets sit in an array sorted by GPU count and stay when they empty (a count seen once
 * usually comes back), so the per-event questions walk a dozen slots with no map views or
 * iterators allocated: this is the simulator's hottest structure (every pass asks it several times).
 */
public final class WaitQueue {
    /** Rank (the policy's, lower first), then its order within a rank (arrival unless the policy says), then entry into the queue, then id: a total order. */
    static final Comparator<JobState> ORDER = WaitQueue::compare;

    /** GPU counts of the buckets, ascending; {@code buckets[i]} holds the jobs needing {@code gpus[i]}. */
    private int[] gpus = new int[0];
    private final List<TreeSet<JobState>> buckets = new ArrayList<>();
    private int size;

    /** {@link #ORDER} written out: the comparator chain's lambdas showed in profiles of long replays. */
    static int compare(JobState a, JobState b) {
        int c = Double.compare(a.queueRank, b.queueRank);
        if (c != 0) return c;
        c = Double.compare(a.queueOrder, b.queueOrder);
        if (c != 0) return c;
        c = Long.compare(a.enqueued, b.enqueued);
        return c != 0 ? c : Integer.compare(a.job.id(), b.job.id());
    }

    /** The bucket of a job: its GPUs, 0 for a share of one. */
    private static int key(JobState j) {
        return j.job.sharesGpu() ? 0 : j.job.gpus();
    }

    public void add(JobState j) {
        int g = key(j);
        int i = Arrays.binarySearch(gpus, g);
        if (i < 0) {
            i = -i - 1;
            gpus = insert(gpus, i, g);
            buckets.add(i, new TreeSet<>(ORDER));
        }
        buckets.get(i).add(j);
        size++;
    }

    private static int[] insert(int[] a, int at, int value) {
        int[] b = new int[a.length + 1];
        System.arraycopy(a, 0, b, 0, at);
        b[at] = value;
        System.arraycopy(a, at, b, at + 1, a.length - at);
        return b;
    }

    public boolean remove(JobState j) {
        int i = Arrays.binarySearch(gpus, key(j));
        if (i < 0 || !buckets.get(i).remove(j)) return false;
        size--;
        return true;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The smallest GPU count among waiting whole-GPU jobs, 0 when none wait. */
    public int minGpus() {
        for (int i = 0; i < gpus.length; i++) if (gpus[i] > 0 && !buckets.get(i).isEmpty()) return gpus[i];
        return 0;
    }

    /** The first job after {@code after} (null: from the start) in queue order that needs at most {@code maxGpus} (shares of a GPU count 0). */
    public JobState next(JobState after, int maxGpus) {
        JobState best = null;
        for (int i = 0; i < gpus.length && gpus[i] <= maxGpus; i++) {
            TreeSet<JobState> bucket = buckets.get(i);
            if (bucket.isEmpty()) continue;
            JobState c = after == null ? bucket.first() : bucket.higher(after);
            if (c != null && (best == null || compare(c, best) < 0)) best = c;
        }
        return best;
    }
}
