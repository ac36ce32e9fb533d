package org.sinter.nn.loss;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.functional.Reduction;

/**
 * Cross entropy of logits against class indices or class probabilities, with optional class
 * weights (buffer {@code weight}), {@code ignoreIndex} (default -100) and label smoothing (see
 * {@link F#crossEntropy}).
 */
public final class CrossEntropyLoss extends Loss {
    public final Tensor weight;
    public final long ignoreIndex;
    public final double labelSmoothing;

    public CrossEntropyLoss() {
        this(null, -100, Reduction.MEAN, 0.0);
    }

    public CrossEntropyLoss(Tensor weight, long ignoreIndex, Reduction reduction, double labelSmoothing) {
        super(reduction);
        this.weight = registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }
}
