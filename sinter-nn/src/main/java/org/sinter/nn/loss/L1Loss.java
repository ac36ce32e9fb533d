package org.sinter.nn.loss;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.functional.Reduction;

/** Mean absolute error {@code |input - target|}, reduced (see {@link F#l1Loss}). */
public final class L1Loss extends Loss {
    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.l1Loss(input, target, reduction);
    }
}
