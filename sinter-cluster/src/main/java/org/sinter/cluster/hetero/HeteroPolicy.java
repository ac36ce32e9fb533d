package org.sinter.cluster.hetero;

import java.util.List;

/**
 * A policy of the round-based heterogeneous simulator: at every round boundary it says which GPU type
 * each active job runs on for the round ({@code -1}: it waits), with each type's gangs fitting in its
 * GPUs. {@code jobSetChanged} tells it a job arrived or finished since the last round (when Gavel
 * recomputes its allocation).
 */
public interface HeteroPolicy {
    String name();

    int[] assign(List<RoundJob> active, GpuMix mix, double now, boolean jobSetChanged);

    /** Linear programs solved so far (0 for policies without one). */
    default int solves() {
        return 0;
    }
}
