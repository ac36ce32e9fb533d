package org.sinter.nn.loss;

import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.functional.Reduction;

/**
 * Base of the loss modules (PyTorch's {@code _Loss}): a {@link Reduction} (MEAN by default) and
 * a two-argument {@link #forward(Tensor, Tensor)}. Class weights, where a loss has them, are
 * buffers named {@code weight} (and {@code pos_weight}), so they move with the module and appear
 * in its state dict as in PyTorch.
 */
public abstract class Loss extends Module {
    public final Reduction reduction;

    protected Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    /** The loss of {@code input} against {@code target}. */
    public abstract Tensor forward(Tensor input, Tensor target);

    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " takes (input, target); call forward(input, target)");
    }
}
