package org.sinter.cluster.hetero;

import java.util.ArrayList;
import java.util.List;

/**
 * Max-min fairness in rounds, as Gavel runs it: the allocation LP ({@link MaxMinFairness}) is solved
 * again whenever a job arrives or finishes, and {@link RoundBasedMechanism} realises it round by
 * round. {@code gavel}: heterogeneity-aware (effective throughput); {@code max-min}: heterogeneity-
 * agnostic (GPU time only), the baseline Gavel compares against.
 */
public final class MaxMinFairnessPolicy implements HeteroPolicy {
    private final MaxMinFairness lp;
    private final boolean aware;
    private double[][] x;
    private List<RoundJob> allocatedFor = List.of();
    private int solves;

    public MaxMinFairnessPolicy(boolean heterogeneityAware) {
        this.aware = heterogeneityAware;
        this.lp = new MaxMinFairness(heterogeneityAware);
    }

    @Override
    public String name() {
        return aware ? "gavel" : "max-min";
    }

    @Override
    public int[] assign(List<RoundJob> active, GpuMix mix, double now, boolean jobSetChanged) {
        if (jobSetChanged || x == null || !allocatedFor.equals(active)) {
            List<HeteroJob> jobs = new ArrayList<>(active.size());
            for (RoundJob r : active) jobs.add(r.job());
            x = lp.allocate(jobs, mix).x();
            allocatedFor = List.copyOf(active);
            solves++;
        }
        return RoundBasedMechanism.assign(active, x, mix, now);
    }

    @Override
    public int solves() {
        return solves;
    }
}
