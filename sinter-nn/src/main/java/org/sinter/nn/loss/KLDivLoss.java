package org.sinter.nn.loss;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.functional.Reduction;

/**
 * Kullback-Leibler divergence of log-probabilities from a target distribution (see
 * {@link F#klDiv}); use {@link Reduction#BATCHMEAN} for the mathematically correct KL.
 */
public final class KLDivLoss extends Loss {
    public final boolean logTarget;

    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    public KLDivLoss(Reduction reduction, boolean logTarget) {
        super(reduction);
        this.logTarget = logTarget;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.klDiv(input, target, reduction, logTarget);
    }
}
