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

    /**
     * Space sharing: for the round {@link #assign} just planned, the active index of the job each job
     * shares its GPUs with (-1: alone), or null when every job runs alone. A pair is on the same type,
     * has the same GPU count, and takes its GPUs once.
     */
    default int[] partners() {
        return null;
    }

    /** Linear programs solved so far (0 for policies without one). */
    default int solves() {
        return 0;
    }
}
