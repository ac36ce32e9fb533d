package org.sinter.compiler;

import org.sinter.compiler.passes.PassManager;

/**
 * How {@link Compiler#compile} treats a function: whether dimension 0 of every input is a dynamic
 * batch (one graph for all batch sizes), which passes optimise the traced graph, and whether
 * elementwise chains fuse into generated kernels.
 */
public record CompileOptions(boolean dynamicBatch, PassManager passes, boolean fuse, long memoryBudget) {
    public static CompileOptions defaults() {
        return new CompileOptions(false, PassManager.standard(), true, 0);
    }

    public CompileOptions withDynamicBatch(boolean dynamic) {
        return new CompileOptions(dynamic, passes, fuse, memoryBudget);
    }

    public CompileOptions withPasses(PassManager p) {
        return new CompileOptions(dynamicBatch, p, fuse, memoryBudget);
    }

    /**
     * Training steps keep their planned intermediates under {@code bytes} by recomputing forward
     * values in the backward (activation checkpointing); 0: no budget.
     */
    public CompileOptions withMemoryBudget(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("withMemoryBudget: a budget is at least 0 bytes, got " + bytes);
        return new CompileOptions(dynamicBatch, passes, fuse, bytes);
    }

    /**
     * Inference with frozen parameters ({@code torch.jit.freeze}): the caller promises not to change
     * the module's parameters and buffers, so weight-only work folds away at compile time and
     * per-channel affine ops after convolutions (inference BatchNorm) fold into their weights.
     */
    public CompileOptions withFrozenParameters() {
        return new CompileOptions(dynamicBatch, PassManager.frozenInference(), fuse, memoryBudget);
    }

    /** Whether elementwise chains run as generated kernels (otherwise every op runs eagerly). */
    public CompileOptions withFusion(boolean f) {
        return new CompileOptions(dynamicBatch, passes, f, memoryBudget);
    }
}
