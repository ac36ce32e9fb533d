package org.sinter.nn;

import org.sinter.Tensor;

/** Returns its input unchanged (PyTorch's {@code nn.Identity}); a placeholder in architectures. */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
