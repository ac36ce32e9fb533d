package org.sinter.cluster;

/**
 * GPUs shared by jobs that each use a fraction of one (Alibaba's {@code gpu_milli}): per GPU, the
 * milli-GPUs its sharers hold, and an index of the GPUs in use by sharers by their free milli-GPUs
 * (Fenwick trees of their count and their sum), so "does some shared GPU have m free?" and "how much
 * free capacity sits on shared GPUs in pieces below m?" cost O(log 1000), not a walk over the GPUs.
 * A GPU is either free, held whole by one job, or shared; {@link Cluster} counts only free GPUs as
 * free for whole-GPU jobs.
 */
final class GpuShares {
    private static final int WHOLE = Job.WHOLE_GPU;
    /** used[node][gpu]: milli-GPUs held by sharers (0: not shared). */
    private final int[][] used;
    /** Over free milli f in 1..999 of shared GPUs: how many GPUs, and their total free milli. */
    private final long[] countTree = new long[WHOLE], sumTree = new long[WHOLE];
    private int sharedGpus;

    GpuShares(int[] gpusPerNode) {
        used = new int[gpusPerNode.length][];
        for (int n = 0; n < used.length; n++) used[n] = new int[gpusPerNode[n]];
    }

    /** Milli-GPUs free on a GPU: 1000 when nobody shares it (though a whole-GPU job may hold it). */
    int freeMilli(int node, int gpu) {
        return WHOLE - used[node][gpu];
    }

    boolean isShared(int node, int gpu) {
        return used[node][gpu] > 0;
    }

    int gpusOn(int node) {
        return used[node].length;
    }

    /** GPUs on the node that sharers use. */
    int sharedOn(int node) {
        int k = 0;
        for (int u : used[node]) if (u > 0) k++;
        return k;
    }

    /** GPUs in use by sharers, cluster-wide. */
    int sharedGpus() {
        return sharedGpus;
    }

    /** Adds {@code milli} (negative: releases) on a GPU; returns whether the GPU went from unshared to shared (+1), back (-1) or neither (0). */
    int add(int node, int gpu, int milli) {
        int before = used[node][gpu], after = before + milli;
        if (after < 0 || after > WHOLE) throw new IllegalStateException("GPU " + gpu + " of node " + node + " would hold " + after + " milli-GPUs");
        if (before > 0) index(WHOLE - before, -1);
        if (after > 0) index(WHOLE - after, +1);
        used[node][gpu] = after;
        int change = (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
        sharedGpus += change;
        return change;
    }

    /** Whether some shared GPU has at least {@code milli} free. */
    boolean someSharedFits(int milli) {
        return count(WHOLE - 1) - count(milli - 1) > 0;
    }

    /** Free milli-GPUs on shared GPUs whose free part is below {@code milli}: pieces too small for such a request. */
    long freeBelow(int milli) {
        return sum(Math.min(milli, WHOLE) - 1);
    }

    private void index(int free, int sign) {
        if (free <= 0) return; // a full shared GPU has nothing free to index
        for (int i = free; i < WHOLE; i += i & -i) {
            countTree[i] += sign;
            sumTree[i] += (long) sign * free;
        }
    }

    /** GPUs with free milli in 1..f. */
    private long count(int f) {
        long c = 0;
        for (int i = Math.min(f, WHOLE - 1); i > 0; i -= i & -i) c += countTree[i];
        return c;
    }

    private long sum(int f) {
        long s = 0;
        for (int i = Math.min(f, WHOLE - 1); i > 0; i -= i & -i) s += sumTree[i];
        return s;
    }
}
