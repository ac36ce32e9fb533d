package org.sinter.nn.loss;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.functional.Reduction;

/** Huber loss: {@code 0.5 z²} below {@code delta}, {@code delta (z - 0.5 delta)} above (see {@link F#huberLoss}). */
public final class HuberLoss extends Loss {
    public final double delta;

    public HuberLoss() {
        this(Reduction.MEAN, 1.0);
    }

    public HuberLoss(Reduction reduction, double delta) {
        super(reduction);
        this.delta = delta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.huberLoss(input, target, reduction, delta);
    }
}
