package org.sinter.cluster.placement;

import java.util.Locale;
import org.sinter.cluster.Allocation;
import org.sinter.cluster.Cluster;

/**
 * Where a job's GPUs go. All or nothing (gang scheduling): a placement returns every GPU the job
 * needs or {@code null}, never part of them. Every strategy keeps a job that fits in one node on
 * one node (its GPUs talk over NVLink, not the network), so free GPUs scattered over nodes can be
 * unusable: the fragmentation the metrics measure. A job larger than a node may use any free GPUs.
 */
public interface Placement {
    /** GPUs for a job of {@code gpus}, or null when the free GPUs cannot hold it; does not allocate. */
    Allocation place(Cluster cluster, int gpus);

    String name();

    /** Whether {@link #place} would succeed now; must not change the strategy's state (a random draw). */
    default boolean fits(Cluster cluster, int gpus) {
        return fitsAnywhereAllowed(cluster, gpus);
    }

    /**
     * The rule every strategy here shares: a job that fits in a node needs one node with that many
     * free GPUs; a larger one needs that many free GPUs anywhere. Strategies differ in the choice.
     */
    static boolean fitsAnywhereAllowed(Cluster c, int gpus) {
        return gpus <= c.gpusPerNode() ? c.someNodeFits(gpus) : gpus <= c.freeGpus();
    }

    /** {@code consolidate}, {@code spread} or {@code random} (seeded). */
    static Placement of(String name, long seed) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "consolidate", "best-fit" -> new ConsolidatePlacement();
            case "spread", "worst-fit" -> new SpreadPlacement();
            case "random" -> new RandomPlacement(seed);
            default -> throw new IllegalArgumentException("unknown placement '" + name + "': expected consolidate, spread or random");
        };
    }
}
