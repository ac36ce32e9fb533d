package org.sinter.compress.prune;

import java.util.List;

/**
 * Drives magnitude pruning along an {@link AgpSchedule} during training: call {@link #step(int)}
 * after every optimizer step. At a pruning step each target (or, with {@code global}, all targets
 * together) is pruned up to the schedule's sparsity by removing the smallest surviving weights;
 * at every step the masks are re-applied.
 */
public final class GradualPruner {
    private final Pruner pruner;
    private final List<PruneTarget> targets;
    private final AgpSchedule schedule;
    private final boolean global;

    public GradualPruner(Pruner pruner, List<PruneTarget> targets, AgpSchedule schedule, boolean global) {
        if (targets.isEmpty()) throw new IllegalArgumentException("gradual pruning: no parameters to prune");
        this.pruner = pruner;
        this.targets = List.copyOf(targets);
        this.schedule = schedule;
        this.global = global;
    }

    public Pruner pruner() {
        return pruner;
    }

    public AgpSchedule schedule() {
        return schedule;
    }

    /** Re-applies the masks and, at a pruning step, raises the sparsity to the schedule's. Returns that target. */
    public double step(int step) {
        pruner.applyMasks();
        if (!schedule.isPruningStep(step)) return Double.NaN;
        double target = schedule.sparsityAt(step);
        pruneTo(target);
        return target;
    }

    /** Prunes every target (or all together) up to {@code sparsity}, never un-pruning. */
    public void pruneTo(double sparsity) {
        if (global) {
            long numel = 0, pruned = 0;
            for (PruneTarget t : targets) {
                numel += t.parameter().numel();
                pruned += prunedCount(t);
            }
            long more = Math.round(sparsity * numel) - pruned;
            if (more > 0) pruner.globalUnstructured(targets, Math.toIntExact(more));
        } else {
            for (PruneTarget t : targets) {
                long more = Math.round(sparsity * t.parameter().numel()) - prunedCount(t);
                if (more > 0) pruner.l1Unstructured(t.module(), t.name(), Math.toIntExact(more));
            }
        }
    }

    private long prunedCount(PruneTarget t) {
        if (!pruner.isPrunedParameter(t)) return 0;
        long zeros = 0;
        for (float m : pruner.mask(t.module(), t.name()).toFloatArray()) if (m == 0f) zeros++;
        return zeros;
    }
}
