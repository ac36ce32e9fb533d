package org.sinter.cluster.placement;

import java.util.List;
import org.sinter.cluster.Allocation;
import org.sinter.cluster.Cluster;

/** Takes free GPUs node by node in a given order until a job's count is met (multi-node jobs). */
final class Gather {
    private Gather() {}

    static Allocation take(Cluster c, List<Integer> order, int gpus) {
        int[] ns = new int[order.size()], gs = new int[order.size()];
        int k = 0, need = gpus;
        for (int n : order) {
            if (need == 0) break;
            int g = Math.min(need, c.freeOn(n));
            if (g == 0) continue;
            ns[k] = n;
            gs[k++] = g;
            need -= g;
        }
        if (need > 0) return null;
        return new Allocation(java.util.Arrays.copyOf(ns, k), java.util.Arrays.copyOf(gs, k));
    }
}
