package org.sinter.cluster.policy;

/**
 * Dominant Resource Fairness (Ghodsi et al., NSDI'11): a user's dominant share is the largest share
 * it holds of any one resource; DRF equalises dominant shares by progressive filling: repeatedly give
 * the user with the smallest dominant share one more task, until no user's next task fits. This is
 * the allocator on its own (the paper's setting: one pool of resources, users with many identical
 * tasks); {@link Drf} schedules jobs on a cluster's nodes by the same rule.
 */
public final class DominantResourceFairness {
    private DominantResourceFairness() {}

    /** Share of the capacity the largest of {@code allocated}'s resources is. */
    public static double dominantShare(double[] allocated, double[] capacity) {
        double share = 0;
        for (int r = 0; r < capacity.length; r++) if (capacity[r] > 0) share = Math.max(share, allocated[r] / capacity[r]);
        return share;
    }

    /**
     * Tasks per user by progressive filling. {@code demand[u]} is user u's per-task demand vector; ties
     * in dominant share go to the lower-numbered user; a user whose next task does not fit gets no more.
     */
    public static int[] progressiveFilling(double[] capacity, double[][] demand) {
        int users = demand.length, resources = capacity.length;
        for (int u = 0; u < users; u++) {
            if (demand[u].length != resources) throw new IllegalArgumentException("DRF: user " + u + " demands " + demand[u].length + " resources, the pool has " + resources);
            boolean any = false;
            for (double d : demand[u]) {
                if (!(d >= 0) || Double.isInfinite(d)) throw new IllegalArgumentException("DRF: user " + u + " has a demand that is not finite and >= 0: " + d);
                any |= d > 0;
            }
            if (!any) throw new IllegalArgumentException("DRF: user " + u + "'s tasks demand nothing (they would take infinitely many)");
        }
        int[] tasks = new int[users];
        double[][] allocated = new double[users][resources];
        double[] used = new double[resources];
        boolean[] saturated = new boolean[users];
        while (true) {
            int pick = -1;
            double lowest = Double.POSITIVE_INFINITY;
            for (int u = 0; u < users; u++) {
                if (saturated[u]) continue;
                double s = dominantShare(allocated[u], capacity);
                if (s < lowest) { lowest = s; pick = u; }
            }
            if (pick < 0) return tasks;
            boolean fits = true;
            for (int r = 0; r < resources; r++) fits &= used[r] + demand[pick][r] <= capacity[r] + 1e-9;
            if (!fits) { saturated[pick] = true; continue; }
            for (int r = 0; r < resources; r++) {
                used[r] += demand[pick][r];
                allocated[pick][r] += demand[pick][r];
            }
            tasks[pick]++;
        }
    }
}
