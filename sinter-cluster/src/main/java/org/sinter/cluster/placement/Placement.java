package org.sinter.cluster.placement;

import java.util.Locale;
import org.sinter.cluster.Allocation;
import org.sinter.cluster.Cluster;
import org.sinter.cluster.Job;

/**
 * Where a job's GPUs go. All or nothing (gang scheduling): a placement returns every GPU the job
 * needs or {@code null}, never part of them. Every strategy keeps a job that fits in one node on
 * one node (its GPUs talk over NVLink, not the network), so free GPUs scattered over nodes can be
 * unusable: the fragmentation the metrics measure. A job larger than a node may use any free GPUs.
 * A job that uses a share of one GPU, and any job on nodes whose CPUs and memory are limited, is
 * placed by looking at every node ({@link Candidates}), taking what the strategy's {@link #preference()} prefers.
 */
public interface Placement {
    /** GPUs for a job of {@code gpus} whole GPUs (CPU and memory not asked), or null when the free GPUs cannot hold it; does not allocate. */
    Allocation place(Cluster cluster, int gpus);

    String name();

    /** Which candidate the strategy takes when it looks at every node (shares of GPUs, limited CPUs and memory). */
    Preference preference();

    /** Where job {@code j} goes (its share of a GPU, its CPUs and memory where the cluster limits them), or null; does not allocate. */
    default Allocation place(Cluster c, Job j) {
        if (!j.sharesGpu() && !c.limitsHost()) return place(c, j.gpus());
        return Candidates.place(c, j, 0, c.nodes(), preference(), null);
    }

    /** As {@link #place(Cluster, Job)} on GPUs of one type. */
    default Allocation placeOn(Cluster c, Job j, int type) {
        if (!j.sharesGpu() && !c.limitsHost()) return placeOn(c, j.gpus(), type);
        return Candidates.place(c, j, c.startOfType(type), c.endOfType(type), preference(), null);
    }

    /** Whether {@link #place(Cluster, Job)} would succeed now; changes nothing. */
    default boolean fits(Cluster c, Job j) {
        if (!j.sharesGpu() && !c.limitsHost()) return fits(c, j.gpus());
        return Candidates.place(c, j, 0, c.nodes(), Preference.FIRST_FIT, null) != null;
    }

    /** Whether {@link #placeOn(Cluster, Job, int)} would succeed now; changes nothing. */
    default boolean fitsOn(Cluster c, Job j, int type) {
        if (!j.sharesGpu() && !c.limitsHost()) return fitsOn(c, j.gpus(), type);
        return Candidates.place(c, j, c.startOfType(type), c.endOfType(type), Preference.FIRST_FIT, null) != null;
    }

    /**
     * GPUs of one type for a job of {@code gpus} (a heterogeneity-aware policy's choice), or null;
     * on a cluster of one type the same as {@link #place}.
     */
    Allocation placeOn(Cluster cluster, int gpus, int type);

    /** Whether {@link #place} would succeed now; must not change the strategy's state (a random draw). */
    default boolean fits(Cluster cluster, int gpus) {
        return fitsAnywhereAllowed(cluster, gpus);
    }

    /** Whether {@link #placeOn} would succeed now on GPUs of {@code type}. */
    default boolean fitsOn(Cluster c, int gpus, int type) {
        return gpus <= c.gpusPerNode() ? c.someNodeFits(type, gpus) : gpus <= c.freeGpus(type);
    }

    /**
     * The rule every strategy here shares: a job that fits in a node needs one node with that many
     * free GPUs; a larger one needs that many free GPUs anywhere within one GPU type (a gang runs at
     * one type's speed). Strategies differ in the choice.
     */
    static boolean fitsAnywhereAllowed(Cluster c, int gpus) {
        return gpus <= c.gpusPerNode() ? c.someNodeFits(gpus) : blindType(c, gpus) >= 0;
    }

    /**
     * The GPU type a type-blind placement gives a job larger than a node: the one with the most free
     * GPUs that has enough (lowest index on ties; type 0 on a cluster of one type), or -1.
     */
    static int blindType(Cluster c, int gpus) {
        int best = -1;
        for (int t = 0; t < c.types(); t++) {
            if (c.freeGpus(t) >= gpus && (best < 0 || c.freeGpus(t) > c.freeGpus(best))) best = t;
        }
        return best;
    }

    /** {@code consolidate}, {@code spread}, {@code first-fit}, {@code packing} or {@code random} (seeded). */
    static Placement of(String name, long seed) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "consolidate", "best-fit" -> new ConsolidatePlacement();
            case "spread", "worst-fit" -> new SpreadPlacement();
            case "first-fit" -> new FirstFitPlacement();
            case "packing", "gpu-packing", "gpu-best-fit" -> new PackingPlacement();
            case "random" -> new RandomPlacement(seed);
            default -> throw new IllegalArgumentException("unknown placement '" + name + "': expected consolidate, spread, first-fit, packing or random");
        };
    }
}
