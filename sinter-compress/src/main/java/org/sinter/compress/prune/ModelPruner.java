package org.sinter.compress.prune;

import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;

/**
 * One-shot pruning of a whole model, the entry point for a command line ({@code --prune AMOUNT
 * [--structured]}): unstructured prunes {@code amount} of all Linear and Conv weights by global
 * magnitude and makes it permanent (the zeros stay in the same model; run it through
 * {@code Sparsifier.sparsify} for sparse kernels); structured removes {@code amount} of the
 * channels of every prunable Conv2d and hidden Linear by L1 filter norm and returns a new, smaller
 * Sequential. Either way, fine-tune afterwards to recover accuracy (see {@link GradualPruner} for
 * pruning during training instead).
 */
public final class ModelPruner {
    private ModelPruner() {}

    public static PruneReport prune(Module model, double amount, boolean structured) {
        PruneAmount.fraction(amount); // validates the range with PyTorch's message
        long before = parameters(model);
        if (structured) {
            if (!(model instanceof Sequential s)) {
                throw new IllegalArgumentException("structured pruning: needs a Sequential model (layers in order), got " + model.getClass().getSimpleName());
            }
            ChannelPlan plan = ChannelPruner.plan(s, amount, ChannelCriterion.L1_NORM, true);
            Sequential smaller = plan.apply();
            return new PruneReport(smaller, true, amount, before, parameters(smaller), SparsityReport.of(smaller), plan);
        }
        Pruner pruner = new Pruner();
        pruner.globalUnstructured(PruneTarget.weightsOf(model), amount);
        pruner.removeAll();
        SparsityReport report = SparsityReport.of(model);
        return new PruneReport(model, false, amount, before, before - report.zeros(), report, null);
    }

    private static long parameters(Module m) {
        return m.parameters().stream().mapToLong(Tensor::numel).sum();
    }
}
