package org.sinter.compress.prune;

/** One weight's sparsity: its name in the model, shape, size and number of zeros. */
public record LayerSparsity(String name, int[] shape, long numel, long zeros) {
    public double sparsity() {
        return numel == 0 ? 0 : zeros / (double) numel;
    }
}
