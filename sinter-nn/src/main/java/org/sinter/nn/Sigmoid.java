package org.sinter.nn;

import org.sinter.Tensor;

/** {@code 1 / (1 + e^-x)} element-wise (PyTorch's {@code nn.Sigmoid}). */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
