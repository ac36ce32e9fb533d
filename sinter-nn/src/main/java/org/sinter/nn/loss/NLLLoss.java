package org.sinter.nn.loss;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.functional.Reduction;

/** Negative log likelihood of log-probabilities at class indices (see {@link F#nllLoss}). */
public final class NLLLoss extends Loss {
    public final Tensor weight;
    public final long ignoreIndex;

    public NLLLoss() {
        this(null, -100, Reduction.MEAN);
    }

    public NLLLoss(Tensor weight, long ignoreIndex, Reduction reduction) {
        super(reduction);
        this.weight = registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.nllLoss(input, target, weight, ignoreIndex, reduction);
    }
}
