package org.sinter.nn;

import org.sinter.Tensor;

/** {@code x} for x > 0, {@code α(eˣ − 1)} otherwise (PyTorch's {@code nn.ELU}, default α = 1). */
public class ELU extends Module {
    public final double alpha;

    public ELU(double alpha) {
        this.alpha = alpha;
    }

    public ELU() {
        this(1.0);
    }

    @Override
    public Tensor forward(Tensor input) {
        // clampMax(0) keeps expm1 finite on the positive side, whose gradient where() discards.
        Tensor negative = input.clampMax(0).expm1().mul(alpha);
        return Tensor.where(input.gt(0), input, negative);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + PyRepr.pyFloat(alpha);
    }
}
