package org.sinter.nn;

import org.sinter.Tensor;

/** {@code x · σ(x)}, also called swish (PyTorch's {@code nn.SiLU}). */
public class SiLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.silu();
    }
}
