package org.sinter.nn;

import org.sinter.Tensor;

/** Softmax along {@code dim}: entries along it are positive and sum to 1 (PyTorch's {@code nn.Softmax}). */
public class Softmax extends Module {
    public final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.softmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
