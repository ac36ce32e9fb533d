package org.sinter.compiler;

import org.sinter.compiler.passes.PassManager;

/**
 * How {@link Compiler#compile} treats a function: whether dimension 0 of every input is a dynamic
 * batch (one graph for all batch sizes), which passes optimise the traced graph, and whether
 * elementwise chains fuse into generated kernels.
 */
public record CompileOptions(boolean dynamicBatch, PassManager passes, boolean fuse, long memoryBudget, int interOpThreads) {
    public static CompileOptions defaults() {
        return new CompileOptions(false, PassManager.standard(), true, 0, 1);
    }

    public CompileOptions withDynamicBatch(boolean dynamic) {
        return new CompileOptions(dynamic, passes, fuse, memoryBudget, interOpThreads);
    }

    public CompileOptions withPasses(PassManager p) {
        return new CompileOptions(dynamicBatch, p, fuse, memoryBudget, interOpThreads);
    }

    /**
     * Training steps keep their planned intermediates under {@code bytes} by recomputing forward
     * values in the backward (activation checkpointing); 0: no budget.
     */
    public CompileOptions withMemoryBudget(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("withMemoryBudget: a budget is at least 0 bytes, got " + bytes);
        return new CompileOptions(dynamicBatch, passes, fuse, bytes, interOpThreads);
    }

    /**
     * Inference with frozen parameters ({@code torch.jit.freeze}): the caller promises not to change
     * the module's parameters and buffers, so weight-only work folds away at compile time and
     * per-channel affine ops after convolutions (inference BatchNorm) fold into their weights.
     */
    public CompileOptions withFrozenParameters() {
        return new CompileOptions(dynamicBatch, PassManager.frozenInference(), fuse, memoryBudget, interOpThreads);
    }

    /**
     * Adds the TASO-style subgraph substitution search after the other passes (then constant
     * folding, CSE and DCE to tidy up): verified rewrite rules, applied where a cost model says the
     * graph gets cheaper. Opt-in, because some rules reassociate floating-point arithmetic, so
     * results may differ from eager ones in the last bits. Parameters are costed as run-time
     * values; for frozen inference use
     * {@code withPasses(PassManager.frozenInference().then(SubstitutionSearch.pipeline(true)))}.
     */
    public CompileOptions withSubstitutionSearch() {
        return withPasses(passes.then(org.sinter.compiler.passes.rewrite.SubstitutionSearch.pipeline(false)));
    }

    /** Whether elementwise chains run as generated kernels (otherwise every op runs eagerly). */
    public CompileOptions withFusion(boolean f) {
        return new CompileOptions(dynamicBatch, passes, f, memoryBudget, interOpThreads);
    }

    /**
     * Runs independent branches of the compiled graph on up to {@code threads} threads (ONNX
     * Runtime's parallel execution mode); 1, the default, runs steps in order.
     */
    public CompileOptions withInterOpThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("withInterOpThreads: at least 1 thread, got " + threads);
        return new CompileOptions(dynamicBatch, passes, fuse, memoryBudget, threads);
    }
}
