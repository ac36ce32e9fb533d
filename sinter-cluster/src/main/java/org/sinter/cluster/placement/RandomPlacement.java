package org.sinter.cluster.placement;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.sinter.cluster.Allocation;
import org.sinter.cluster.Cluster;

/**
 * Random placement, seeded: a job that fits in a node goes to a node drawn uniformly among those
 * that hold it; a larger job takes free GPUs from nodes in a random order. The topology-blind
 * baseline for fragmentation.
 */
public final class RandomPlacement implements Placement {
    private final SplittableRandom random;

    public RandomPlacement(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Allocation place(Cluster c, int gpus) {
        if (gpus > c.freeGpus()) return null;
        if (gpus <= c.gpusPerNode()) return c.someNodeFits(gpus) ? draw(c, gpus, 0, c.nodes()) : null;
        int type = Placement.blindType(c, gpus);
        return type < 0 ? null : shuffled(c, gpus, c.startOfType(type), c.endOfType(type));
    }

    @Override
    public Allocation placeOn(Cluster c, int gpus, int type) {
        if (gpus > c.freeGpus(type)) return null;
        int lo = c.startOfType(type), hi = c.endOfType(type);
        if (gpus <= c.gpusPerNode()) return c.someNodeFits(type, gpus) ? draw(c, gpus, lo, hi) : null;
        return shuffled(c, gpus, lo, hi);
    }

    private Allocation draw(Cluster c, int gpus, int lo, int hi) {
        int fits = 0;
        for (int n = lo; n < hi; n++) if (c.freeOn(n) >= gpus) fits++;
        int pick = random.nextInt(fits);
        for (int n = lo; n < hi; n++) {
            if (c.freeOn(n) >= gpus && pick-- == 0) return Allocation.onOneNode(n, gpus);
        }
        throw new AssertionError("unreachable: counted " + fits + " fitting nodes");
    }

    private Allocation shuffled(Cluster c, int gpus, int lo, int hi) {
        List<Integer> order = new ArrayList<>();
        for (int n = lo; n < hi; n++) if (c.freeOn(n) > 0) order.add(n);
        Collections.shuffle(order, new java.util.Random(random.nextLong()));
        return Gather.take(c, order, gpus);
    }

    @Override
    public Allocation place(Cluster c, org.sinter.cluster.Job j) {
        if (!j.sharesGpu() && !c.limitsHost()) return place(c, j.gpus());
        return Candidates.place(c, j, 0, c.nodes(), Preference.RANDOM, random);
    }

    @Override
    public Allocation placeOn(Cluster c, org.sinter.cluster.Job j, int type) {
        if (!j.sharesGpu() && !c.limitsHost()) return placeOn(c, j.gpus(), type);
        return Candidates.place(c, j, c.startOfType(type), c.endOfType(type), Preference.RANDOM, random);
    }

    @Override
    public Preference preference() {
        return Preference.RANDOM;
    }

    @Override
    public String name() {
        return "random";
    }
}
