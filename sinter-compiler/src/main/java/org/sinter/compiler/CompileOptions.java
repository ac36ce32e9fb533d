package org.sinter.compiler;

import org.sinter.compiler.passes.PassManager;

/**
 * How {@link Compiler#compile} treats a function: whether dimension 0 of every input is a dynamic
 * batch (one graph for all batch sizes), which passes optimise the traced graph, and whether
 * elementwise chains fuse into generated kernels.
 */
public record CompileOptions(boolean dynamicBatch, PassManager passes, boolean fuse) {
    public static CompileOptions defaults() {
        return new CompileOptions(false, PassManager.standard(), true);
    }

    public CompileOptions withDynamicBatch(boolean dynamic) {
        return new CompileOptions(dynamic, passes, fuse);
    }

    public CompileOptions withPasses(PassManager p) {
        return new CompileOptions(dynamicBatch, p, fuse);
    }

    /**
     * Inference with frozen parameters ({@code torch.jit.freeze}): the caller promises not to change
     * the module's parameters and buffers, so weight-only work folds away at compile time and
     * per-channel affine ops after convolutions (inference BatchNorm) fold into their weights.
     */
    public CompileOptions withFrozenParameters() {
        return new CompileOptions(dynamicBatch, PassManager.frozenInference(), fuse);
    }

    /** Whether elementwise chains run as generated kernels (otherwise every op runs eagerly). */
    public CompileOptions withFusion(boolean f) {
        return new CompileOptions(dynamicBatch, passes, f);
    }
}
