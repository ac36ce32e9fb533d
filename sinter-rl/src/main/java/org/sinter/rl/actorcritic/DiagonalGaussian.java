package org.sinter.rl.actorcritic;

import org.sinter.Tensor;

/**
 * A Gaussian with independent dimensions, N(μ, diag(σ²)), as PyTorch's {@code Normal} summed over
 * the action dimension (CleanRL's {@code probs.log_prob(a).sum(1)} and {@code probs.entropy().sum(1)}).
 */
public final class DiagonalGaussian {
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private DiagonalGaussian() {}

    /** log π(a) = Σ_d [−(a_d − μ_d)²/(2σ_d²) − log σ_d − ½ log 2π], (B) for means and actions (B, n) and log σ (1, n) or (B, n). */
    public static Tensor logProb(Tensor mean, Tensor logStd, Tensor action) {
        Tensor z = action.sub(mean).div(logStd.exp());
        return z.square().mul(-0.5).sub(logStd).sub(HALF_LOG_TWO_PI).sum(1, false);
    }

    /** H = Σ_d [½ + ½ log 2π + log σ_d] for each of {@code batch} rows, (B); {@code logStd} is (1, n). */
    public static Tensor entropy(Tensor logStd, int batch) {
        return logStd.add(0.5 + HALF_LOG_TWO_PI).sum(1, false).expand(batch);
    }
}
