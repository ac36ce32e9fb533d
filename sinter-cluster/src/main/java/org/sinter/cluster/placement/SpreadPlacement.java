package org.sinter.cluster.placement;

import org.sinter.cluster.Allocation;
import org.sinter.cluster.Cluster;

/**
 * Spreading (worst fit): a job that fits in a node goes to the emptiest one (less interference
 * between neighbours, the load-balancing choice); a larger job takes GPUs from the emptiest nodes
 * down. It leaves many partly used nodes: the strategy consolidation is measured against.
 */
public final class SpreadPlacement implements Placement {
    @Override
    public Allocation place(Cluster c, int gpus) {
        if (gpus > c.freeGpus()) return null;
        if (gpus <= c.gpusPerNode()) return c.someNodeFits(gpus) ? emptiest(c, gpus, 0, c.nodes()) : null;
        int type = Placement.blindType(c, gpus);
        return type < 0 ? null : Gather.emptiestFirst(c, gpus, c.startOfType(type), c.endOfType(type));
    }

    @Override
    public Allocation placeOn(Cluster c, int gpus, int type) {
        if (gpus > c.freeGpus(type)) return null;
        int lo = c.startOfType(type), hi = c.endOfType(type);
        if (gpus <= c.gpusPerNode()) return c.someNodeFits(type, gpus) ? emptiest(c, gpus, lo, hi) : null;
        return Gather.emptiestFirst(c, gpus, lo, hi);
    }

    private static Allocation emptiest(Cluster c, int gpus, int lo, int hi) {
        int best = -1;
        for (int n = lo; n < hi; n++) {
            if (c.freeOn(n) >= gpus && (best < 0 || c.freeOn(n) > c.freeOn(best))) {
                best = n;
                if (c.freeOn(n) == c.gpusPerNode()) break; // an idle node of the largest size cannot be beaten
            }
        }
        return Allocation.onOneNode(best, gpus);
    }

    @Override
    public Preference preference() {
        return Preference.WORST_FIT_NODE;
    }

    @Override
    public String name() {
        return "spread";
    }
}
