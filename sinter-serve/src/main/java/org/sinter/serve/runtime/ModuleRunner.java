package org.sinter.serve.runtime;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;

/** Platform {@code sinter}: the module's eager forward in eval mode, without autograd. */
public final class ModuleRunner implements ModelRunner {
    private final Module module;

    public ModuleRunner(Module module) {
        this.module = module;
        module.eval();
    }

    @Override
    public Tensor[] run(Tensor[] inputs) {
        try (var _ = Sinter.noGrad()) {
            return new Tensor[] {module.forward(inputs[0])};
        }
    }
}
