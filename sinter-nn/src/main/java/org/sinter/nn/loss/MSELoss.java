package org.sinter.nn.loss;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.functional.Reduction;

/** Mean squared error {@code (input - target)²}, reduced (see {@link F#mseLoss}). */
public final class MSELoss extends Loss {
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.mseLoss(input, target, reduction);
    }
}
