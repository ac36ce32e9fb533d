package org.sinter.cluster.placement;

import org.sinter.cluster.Allocation;
import org.sinter.cluster.Cluster;

/**
 * GPU packing (best fit at the GPU): a job that uses a share of one GPU goes to the fullest GPU that
 * still holds it, anywhere in the cluster, so shares fill GPUs already in use before they open free
 * ones (the "best-fit"/"GPU packing" baselines of Weng et al., ATC'23, whose FGD is measured against
 * them); ties go to the fullest node. Whole GPUs are placed as {@link ConsolidatePlacement} does.
 */
public final class PackingPlacement implements Placement {
    private final ConsolidatePlacement whole = new ConsolidatePlacement();

    @Override
    public Allocation place(Cluster c, int gpus) {
        return whole.place(c, gpus);
    }

    @Override
    public Allocation placeOn(Cluster c, int gpus, int type) {
        return whole.placeOn(c, gpus, type);
    }

    @Override
    public Preference preference() {
        return Preference.BEST_FIT_GPU;
    }

    @Override
    public String name() {
        return "packing";
    }
}
