package org.sinter.compress.prune;

import org.sinter.nn.Module;

/**
 * What {@link ModelPruner#prune} did: the pruned model (the same object for unstructured pruning, a
 * new smaller one for structured), parameter counts before and after, the per-layer zeros, and for
 * structured pruning the channel plan.
 */
public record PruneReport(Module model, boolean structured, double amount, long parametersBefore, long parametersAfter,
                          SparsityReport sparsity, ChannelPlan plan) {
    /** A few lines for a command line: what was pruned and what is left. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        if (structured) {
            sb.append(String.format("structured pruning: %.0f%% of the channels of each prunable layer (L1 filter norm)%n", 100 * amount));
            sb.append(plan).append('\n');
        } else {
            sb.append(String.format("unstructured pruning: %.0f%% of the Linear/Conv weights by global magnitude%n", 100 * amount));
        }
        sb.append(String.format("parameters: %d -> %d (%.2fx fewer stored)%n", parametersBefore, parametersAfter,
                parametersBefore / (double) Math.max(1, parametersAfter)));
        sb.append(sparsity);
        return sb.toString();
    }
}
