package org.sinter.nn;

import org.sinter.Tensor;

/** Hyperbolic tangent element-wise (PyTorch's {@code nn.Tanh}). */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
