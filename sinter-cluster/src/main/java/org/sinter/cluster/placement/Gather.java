package org.sinter.cluster.placement;

import java.util.ArrayList;
import java.util.List;
import org.sinter.cluster.Allocation;
import org.sinter.cluster.Cluster;

/** Takes free GPUs node by node in a given order until a job's count is met (multi-node jobs). */
final class Gather {
    private Gather() {}

    /** From the nodes in [lo, hi) with the most free GPUs down (ties: lowest index): the fewest nodes for the job. */
    static Allocation emptiestFirst(Cluster c, int gpus, int lo, int hi) {
        List<Integer> order = new ArrayList<>();
        for (int n = lo; n < hi; n++) if (c.freeOn(n) > 0) order.add(n);
        order.sort((a, b) -> c.freeOn(b) != c.freeOn(a) ? Integer.compare(c.freeOn(b), c.freeOn(a)) : Integer.compare(a, b));
        return take(c, order, gpus);
    }

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
