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
        if (gpus <= c.gpusPerNode()) {
            if (!c.someNodeFits(gpus)) return null;
            int best = -1;
            for (int n = 0; n < c.nodes(); n++) {
                if (c.freeOn(n) >= gpus && (best < 0 || c.freeOn(n) > c.freeOn(best))) {
                    best = n;
                    if (c.freeOn(n) == c.gpusPerNode()) break; // an idle node cannot be beaten
                }
            }
            return Allocation.onOneNode(best, gpus);
        }
        return Gather.emptiestFirst(c, gpus);
    }

    @Override
    public String name() {
        return "spread";
    }
}
