package org.sinter.nn;

import org.sinter.Tensor;

/** {@code x} for x ≥ 0, {@code negativeSlope · x} otherwise (PyTorch's {@code nn.LeakyReLU}, default slope 0.01). */
public class LeakyReLU extends Module {
    public final double negativeSlope;

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    public LeakyReLU() {
        this(0.01);
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.leakyRelu(negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + PyRepr.pyFloat(negativeSlope);
    }
}
