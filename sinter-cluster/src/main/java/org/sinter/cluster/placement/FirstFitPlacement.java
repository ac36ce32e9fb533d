package org.sinter.cluster.placement;

import org.sinter.cluster.Allocation;
import org.sinter.cluster.Cluster;

/**
 * First fit: the lowest-numbered node that holds the job (for a share of a GPU, its lowest-numbered
 * GPU with room); a job larger than a node takes free GPUs in node order. The simplest scheduler's
 * choice, and one of the baselines the GPU-sharing papers compare packing against.
 */
public final class FirstFitPlacement implements Placement {
    @Override
    public Allocation place(Cluster c, int gpus) {
        if (gpus <= c.gpusPerNode()) return c.someNodeFits(gpus) ? first(c, gpus, 0, c.nodes()) : null;
        int type = Placement.blindType(c, gpus);
        return type < 0 ? null : inNodeOrder(c, gpus, type);
    }

    @Override
    public Allocation placeOn(Cluster c, int gpus, int type) {
        if (gpus <= c.gpusPerNode()) return c.someNodeFits(type, gpus) ? first(c, gpus, c.startOfType(type), c.endOfType(type)) : null;
        return gpus <= c.freeGpus(type) ? inNodeOrder(c, gpus, type) : null;
    }

    private static Allocation first(Cluster c, int gpus, int lo, int hi) {
        for (int n = lo; n < hi; n++) if (c.freeOn(n) >= gpus) return Allocation.onOneNode(n, gpus);
        return null;
    }

    private static Allocation inNodeOrder(Cluster c, int gpus, int type) {
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int n = c.startOfType(type); n < c.endOfType(type); n++) order.add(n);
        return Gather.take(c, order, gpus);
    }

    @Override
    public Preference preference() {
        return Preference.FIRST_FIT;
    }

    @Override
    public String name() {
        return "first-fit";
    }
}
