package org.sinter.nn.loss;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.functional.Reduction;

/** Quadratic below {@code beta}, linear above (see {@link F#smoothL1Loss}); beta defaults to 1. */
public final class SmoothL1Loss extends Loss {
    public final double beta;

    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    public SmoothL1Loss(Reduction reduction, double beta) {
        super(reduction);
        this.beta = beta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.smoothL1Loss(input, target, reduction, beta);
    }
}
