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
            if (!c.someNodeFits(gpus)) return null;
            int node = bestFit(c, gpus, List.of(), 0, c.nodes());
            return node < 0 ? null : Allocation.onOneNode(node, gpus);
        }
        int type = Placement.blindType(c, gpus);
        return type < 0 ? null : severalNodes(c, gpus, type);
    }

    @Override
    public Allocation placeOn(Cluster c, int gpus, int type) {
        if (gpus > c.freeGpus(type)) return null;
        if (gpus <= c.gpusPerNode()) {
            if (!c.someNodeFits(type, gpus)) return null;
            int node = bestFit(c, gpus, List.of(), c.startOfType(type), c.endOfType(type));
            return node < 0 ? null : Allocation.onOneNode(node, gpus);
        }
        return severalNodes(c, gpus, type);
    }

    private static Allocation severalNodes(Cluster c, int gpus, int type) {
        int lo = c.startOfType(type), hi = c.endOfType(type);
        int whole = gpus / c.gpusPerNode(), rest = gpus % c.gpusPerNode();
        if (!c.uniform() || c.idleNodes(type) < whole) return Gather.emptiestFirst(c, gpus, lo, hi);
        List<Integer> nodes = new ArrayList<>();
        for (int n = lo; n < hi && nodes.size() < whole; n++) {
            if (c.freeOn(n) == c.gpusPerNode()) nodes.add(n);
        }
        int restNode = -1;
        if (rest > 0) {
            restNode = c.someNodeFits(type, rest) ? bestFit(c, rest, nodes, lo, hi) : -1;
            if (restNode < 0) return Gather.emptiestFirst(c, gpus, lo, hi);
        }
        int k = nodes.size() + (rest > 0 ? 1 : 0);
        int[] ns = new int[k], gs = new int[k];
        for (int i = 0; i < nodes.size(); i++) { ns[i] = nodes.get(i); gs[i] = c.gpusPerNode(); }
        if (rest > 0) { ns[k - 1] = restNode; gs[k - 1] = rest; }
        return new Allocation(ns, gs);
    }

    /** The node in [lo, hi) with the fewest free GPUs that still holds {@code gpus}; lowest index on ties. */
    private static int bestFit(Cluster c, int gpus, List<Integer> exclude, int lo, int hi) {
        int best = -1;
        for (int n = lo; n < hi; n++) {
            int f = c.freeOn(n);
            if (f >= gpus && (best < 0 || f < c.freeOn(best)) && !exclude.contains(n)) {
                best = n;
                if (f == gpus) break; // an exact fit cannot be beaten
            }
        }
        return best;
    }

    @Override
    public Preference preference() {
        return Preference.BEST_FIT_NODE;
    }

    @Override
    public String name() {
        return "consolidate";
    }
}
