package org.sinter.cluster.placement;

import java.util.ArrayList;
import java.util.List;
import org.sinter.cluster.Allocation;
import org.sinter.cluster.Cluster;

/**
 * Consolidation (best fit): a job that fits in a node goes to the fullest node that still holds
 * it, keeping whole nodes free for big jobs; a job larger than a node takes whole idle nodes,
 * lowest-numbered first (so neighbours in a rack), and its remainder on a best-fit node.
 */
public final class ConsolidatePlacement implements Placement {
    @Override
    public Allocation place(Cluster c, int gpus) {
        if (gpus > c.freeGpus()) return null;
        if (gpus <= c.gpusPerNode()) {
            int node = bestFit(c, gpus, List.of());
            return node < 0 ? null : Allocation.onOneNode(node, gpus);
        }
        int whole = gpus / c.gpusPerNode(), rest = gpus % c.gpusPerNode();
        if (c.idleNodes() < whole) return Gather.emptiestFirst(c, gpus);
        List<Integer> nodes = new ArrayList<>();
        for (int n = 0; n < c.nodes() && nodes.size() < whole; n++) {
            if (c.freeOn(n) == c.gpusPerNode()) nodes.add(n);
        }
        int restNode = -1;
        if (rest > 0) {
            restNode = bestFit(c, rest, nodes);
            if (restNode < 0) return Gather.emptiestFirst(c, gpus);
        }
        int k = nodes.size() + (rest > 0 ? 1 : 0);
        int[] ns = new int[k], gs = new int[k];
        for (int i = 0; i < nodes.size(); i++) { ns[i] = nodes.get(i); gs[i] = c.gpusPerNode(); }
        if (rest > 0) { ns[k - 1] = restNode; gs[k - 1] = rest; }
        return new Allocation(ns, gs);
    }

    /** The node with the fewest free GPUs that still holds {@code gpus}; lowest index on ties. */
    private static int bestFit(Cluster c, int gpus, List<Integer> exclude) {
        if (!c.someNodeFits(gpus)) return -1;
        int best = -1;
        for (int n = 0; n < c.nodes(); n++) {
            int f = c.freeOn(n);
            if (f >= gpus && (best < 0 || f < c.freeOn(best)) && !exclude.contains(n)) {
                best = n;
                if (f == gpus) break; // an exact fit cannot be beaten
            }
        }
        return best;
    }

    @Override
    public String name() {
        return "consolidate";
    }
}
