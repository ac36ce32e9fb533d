package org.sinter.compress.quant.qat;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.quant.observer.Observer;

/**
 * The two fake-quantize points of quantization-aware training (PyTorch's {@code FakeQuantize}
 * modules, with their observer inside): activations on the grid of a running observer, weights on a
 * per-channel grid taken from their current values. Both pass gradients by the straight-through estimator.
 */
public final class FakeQuant {
    private FakeQuant() {}

    /**
     * Records {@code x}'s range in {@code observer} when {@code observe} (training) and returns {@code x}
     * on the observer's grid.
     */
    public static Tensor activation(Tensor x, Observer observer, boolean observe) {
        if (observe) observe(x, observer);
        return FakeQuantizeFunction.apply(x, observer.calculateQparams());
    }

    /** Records {@code x}'s range in {@code observer}, outside the autograd graph. */
    public static void observe(Tensor x, Observer observer) {
        try (var _ = Sinter.noGrad()) {
            observer.forward(x.detach());
        }
    }

    /** {@code w} on the grid a fresh weight observer ({@code fresh}) computes from its current values. */
    public static Tensor weight(Tensor w, Observer fresh) {
        fresh.forward(w.detach());
        return FakeQuantizeFunction.apply(w, fresh.calculateQparams());
    }
}
