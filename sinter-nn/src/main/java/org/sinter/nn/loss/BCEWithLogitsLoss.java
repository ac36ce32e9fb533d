package org.sinter.nn.loss;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.functional.Reduction;

/**
 * Sigmoid plus binary cross entropy, numerically stable (see {@link F#binaryCrossEntropyWithLogits});
 * optional buffers {@code weight} and {@code pos_weight}.
 */
public final class BCEWithLogitsLoss extends Loss {
    public final Tensor weight, posWeight;

    public BCEWithLogitsLoss() {
        this(null, Reduction.MEAN, null);
    }

    /** PyTorch's argument order: weight, reduction, pos_weight. */
    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        super(reduction);
        this.weight = registerBuffer("weight", weight);
        this.posWeight = registerBuffer("pos_weight", posWeight);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }
}
