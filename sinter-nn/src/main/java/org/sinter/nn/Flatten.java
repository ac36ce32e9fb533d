package org.sinter.nn;

import org.sinter.Tensor;

/** Flattens dimensions {@code startDim..endDim} (default 1..-1: all but the batch) into one. */
public final class Flatten extends Module {
    public final int startDim, endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
