package org.sinter.nn;

import org.sinter.Tensor;

/**
 * {@code log(1 + e^(βx)) / β}, linear ({@code x}) where {@code βx > threshold} for stability
 * (PyTorch's {@code nn.Softplus}, defaults β = 1, threshold = 20).
 */
public class Softplus extends Module {
    public final double beta, threshold;

    public Softplus(double beta, double threshold) {
        this.beta = beta;
        this.threshold = threshold;
    }

    public Softplus() {
        this(1, 20);
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.softplus(beta, threshold);
    }

    @Override
    protected String extraRepr() {
        return "beta=" + PyRepr.pyNumber(beta) + ", threshold=" + PyRepr.pyNumber(threshold);
    }
}
