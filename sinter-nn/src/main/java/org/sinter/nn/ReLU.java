package org.sinter.nn;

import org.sinter.Tensor;

/** {@code max(0, x)} element-wise (PyTorch's {@code nn.ReLU}). */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
