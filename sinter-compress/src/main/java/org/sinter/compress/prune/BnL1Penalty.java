package org.sinter.compress.prune;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.BatchNorm;
import org.sinter.nn.Module;

/**
 * Network slimming's sparsity term: {@code λ Σ|γ|} over every batch norm's scale, added as its
 * subgradient {@code λ·sign(γ)} to the scales' gradients. Call after {@code backward()} and before
 * the optimizer step, as the paper's code does.
 */
public final class BnL1Penalty {
    private BnL1Penalty() {}

    /** Adds {@code lambda * sign(gamma)} to the gradient of every affine batch norm's weight in {@code model}. */
    public static void apply(Module model, double lambda) {
        if (!(lambda >= 0)) throw new IllegalArgumentException("BN L1 penalty: lambda must be >= 0, got " + lambda);
        try (var _ = Sinter.noGrad()) {
            for (Module m : model.modules()) {
                if (!(m instanceof BatchNorm bn) || bn.weight == null) continue;
                Tensor g = bn.weight.grad();
                Tensor term = bn.weight.sign().mul(lambda);
                if (g == null) bn.weight.setGrad(term);
                else g.add_(term);
            }
        }
    }

    /** The penalty's value {@code λ Σ|γ|} (for logging). */
    public static double value(Module model, double lambda) {
        double s = 0;
        for (Module m : model.modules()) {
            if (m instanceof BatchNorm bn && bn.weight != null) for (float v : bn.weight.toFloatArray()) s += Math.abs(v);
        }
        return lambda * s;
    }
}
