package org.sinter.serve.runtime;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.nn.Module;

/**
 * Platform {@code sinter-compiled}: the module's forward through the graph compiler (traced, optimised,
 * fused). The compiled function keeps one program per input shape, so each batch size seen is
 * compiled once and reused.
 */
public final class CompiledRunner implements ModelRunner {
    private final CompiledFunction compiled;

    public CompiledRunner(Module module) {
        module.eval();
        this.compiled = Compiler.compile(module);
    }

    @Override
    public Tensor[] run(Tensor[] inputs) {
        try (var _ = Sinter.noGrad()) {
            return compiled.call(inputs);
        }
    }
}
