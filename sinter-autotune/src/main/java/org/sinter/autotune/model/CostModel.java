package org.sinter.autotune.model;

import java.util.List;

/** Predicts a score per candidate (higher: faster) from its features; learns from measured ones. */
public interface CostModel {
    /**
     * Trains on samples: features, a label (throughput, 0 for failed candidates), and the group
     * (workload) of each, groups contiguous.
     */
    void fit(List<float[]> features, List<Double> labels, List<Integer> groups);

    double[] predict(List<float[]> features);

    boolean trained();
}
