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
        if (gpus <= c.gpusPerNode()) {
            if (!c.someNodeFits(gpus)) return null;
            int fits = 0;
            for (int n = 0; n < c.nodes(); n++) if (c.freeOn(n) >= gpus) fits++;
            int pick = random.nextInt(fits);
            for (int n = 0; n < c.nodes(); n++) {
                if (c.freeOn(n) >= gpus && pick-- == 0) return Allocation.onOneNode(n, gpus);
            }
            throw new AssertionError("unreachable: counted " + fits + " fitting nodes");
        }
        List<Integer> order = new ArrayList<>();
        for (int n = 0; n < c.nodes(); n++) if (c.freeOn(n) > 0) order.add(n);
        Collections.shuffle(order, new java.util.Random(random.nextLong()));
        return Gather.take(c, order, gpus);
    }

    @Override
    public String name() {
        return "random";
    }
}
