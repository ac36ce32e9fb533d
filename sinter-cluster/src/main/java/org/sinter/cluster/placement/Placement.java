package org.sinter.cluster.placement;

import java.util.Locale;
import org.sinter.cluster.Allocation;
import org.sinter.cluster.Cluster;

/**
 * Where a job's GPUs go. All or nothing (gang scheduling): a placement returns every GPU the job
 * needs or {@code null}, never part of them. Every strategy keeps a job that fits in one node on
 * one node (its GPUs talk over NVLink, not the network), so free GPUs scattered over nodes can be
 * unusable: the fragmentation the metrics measure.
 */
public interface Placement {
    /** GPUs for a job of {@code gpus}, or null when the free GPUs cannot hold it; does not allocate. */
    Allocation place(Cluster cluster, int gpus);

    String name();

    /** Whether {@link #place} would succeed now; must not change the strategy's state (a random draw). */
    default boolean fits(Cluster cluster, int gpus) {
        return place(cluster, gpus) != null;
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
