package org.sinter.cluster.hetero;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code gavel-packed}: Gavel's heterogeneity-aware max-min fairness with space sharing, in rounds.
 * The allocation ({@link PackedMaxMinFairness}) is solved again whenever a job arrives or finishes;
 * {@link PackedRoundMechanism} realises it round by round, pairs included.
 */
public final class PackedMaxMinFairnessPolicy implements HeteroPolicy {
    private final PackedMaxMinFairness lp = new PackedMaxMinFairness();
    private PackedMaxMinFairness.Result x;
    private List<RoundJob> allocatedFor = List.of();
    private int[] partners;
    private int solves;

    @Override
    public String name() {
        return "gavel-packed";
    }

    @Override
    public int[] assign(List<RoundJob> active, GpuMix mix, double now, boolean jobSetChanged) {
        if (jobSetChanged || x == null || !allocatedFor.equals(active)) {
            List<HeteroJob> jobs = new ArrayList<>(active.size());
            for (RoundJob r : active) jobs.add(r.job());
            x = lp.allocate(jobs, mix);
            allocatedFor = List.copyOf(active);
            solves++;
        }
        PackedRoundMechanism.Plan plan = PackedRoundMechanism.assign(active, x, mix, now);
        partners = plan.partner();
        return plan.type();
    }

    @Override
    public int[] partners() {
        return partners;
    }

    @Override
    public int solves() {
        return solves;
    }
}
