package org.sinter.nn;

import org.sinter.Tensor;

/** Log of the softmax along {@code dim}, computed stably (PyTorch's {@code nn.LogSoftmax}). */
public class LogSoftmax extends Module {
    public final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.logSoftmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
