package org.sinter.compiler;

import org.sinter.compiler.passes.PassManager;

/**
 * How {@link Compiler#compile} treats a function: whether dimension 0 of every input is a dynamic
 * batch (one graph for all batch sizes) and which passes optimise the traced graph.
 */
public record CompileOptions(boolean dynamicBatch, PassManager passes) {
    public static CompileOptions defaults() {
        return new CompileOptions(false, PassManager.standard());
    }

    public CompileOptions withDynamicBatch(boolean dynamic) {
        return new CompileOptions(dynamic, passes);
    }

    public CompileOptions withPasses(PassManager p) {
        return new CompileOptions(dynamicBatch, p);
    }
}
