package org.sinter.nn.loss;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.functional.Reduction;

/** Binary cross entropy of probabilities (see {@link F#binaryCrossEntropy}); optional weight buffer. */
public final class BCELoss extends Loss {
    public final Tensor weight;

    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        this.weight = registerBuffer("weight", weight);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropy(input, target, weight, reduction);
    }
}
