package org.sinter.nn.utils;

import java.util.ArrayList;
import java.util.List;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;

/**
 * Gradient clipping (PyTorch's {@code torch.nn.utils.clip_grad_norm_} and
 * {@code clip_grad_value_}); both modify the parameters' gradients in place.
 */
public final class ClipGrad {
    private ClipGrad() {}

    /**
     * Scales all gradients together so that their combined {@code normType}-norm (the norm of the
     * per-tensor norms; {@code Double.POSITIVE_INFINITY} for the max-norm) is at most
     * {@code maxNorm}. Returns the total norm before clipping, as a 0-d tensor.
     *
     * @param errorIfNonfinite throw when the total norm is NaN or infinite instead of scaling by it
     */
    public static Tensor clipGradNorm_(Iterable<Tensor> parameters, double maxNorm, double normType, boolean errorIfNonfinite) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : parameters) if (p.grad() != null) grads.add(p.grad());
        if (grads.isEmpty()) return Tensor.scalar(0);
        try (var _ = Sinter.noGrad()) {
            List<Tensor> norms = new ArrayList<>(grads.size());
            for (Tensor g : grads) norms.add(g.norm(normType, null, false).to(DType.FLOAT64));
            Tensor stacked = Tensor.stack(norms, 0);
            Tensor total = normType == Double.POSITIVE_INFINITY ? stacked.max() : stacked.norm(normType, null, false);
            double t = total.item();
            if (errorIfNonfinite && !Double.isFinite(t)) {
                throw new IllegalStateException("The total norm of order " + normType + " for gradients from `parameters` is non-finite, "
                        + "so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, "
                        + "set `errorIfNonfinite=false`");
            }
            double coef = Math.min(maxNorm / (t + 1e-6), 1.0);
            if (coef < 1.0 || Double.isNaN(coef)) for (Tensor g : grads) g.mul_(coef);
            return total.to(grads.get(0).dtype());
        }
    }

    /** The 2-norm form of {@link #clipGradNorm_(Iterable, double, double, boolean)}. */
    public static Tensor clipGradNorm_(Iterable<Tensor> parameters, double maxNorm) {
        return clipGradNorm_(parameters, maxNorm, 2.0, false);
    }

    public static Tensor clipGradNorm_(Iterable<Tensor> parameters, double maxNorm, double normType) {
        return clipGradNorm_(parameters, maxNorm, normType, false);
    }

    /** Clamps every gradient element into [−clipValue, clipValue]. */
    public static void clipGradValue_(Iterable<Tensor> parameters, double clipValue) {
        try (var _ = Sinter.noGrad()) {
            for (Tensor p : parameters) if (p.grad() != null) p.grad().clamp_(-clipValue, clipValue);
        }
    }
}
