package org.sinter.privacy.adversarial;

import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;

/**
 * Projected gradient descent on the loss (Madry, Makelov, Schmidt, Tsipras and Vladu 2018): from a
 * random start in the ε-ball, repeated steps of size α along the steepest-ascent direction of the
 * norm (sign of the gradient for L∞, the gradient over its L2 norm for L2), each followed by the
 * projection back onto the ε-ball and the valid input box. With restarts, each sample keeps the
 * attempt with the highest loss.
 *
 * @param norm the threat model's norm
 * @param epsilon the budget ε
 * @param stepSize α
 * @param steps iterations per restart
 * @param restarts attempts from independent random starts (≥ 1)
 * @param lo lower bound of valid inputs (e.g. 0 for pixels)
 * @param hi upper bound of valid inputs
 */
public record Pgd(Norm norm, double epsilon, double stepSize, int steps, int restarts, double lo, double hi) {
    /** The threat models. */
    public enum Norm { LINF, L2 }

    public Pgd {
        if (!(epsilon >= 0)) throw new IllegalArgumentException("Pgd: ε must be >= 0, got " + epsilon);
        if (!(stepSize > 0)) throw new IllegalArgumentException("Pgd: step size must be > 0, got " + stepSize);
        if (steps < 0 || restarts < 1) throw new IllegalArgumentException("Pgd: need steps >= 0 and restarts >= 1, got " + steps + ", " + restarts);
        if (!(lo < hi)) throw new IllegalArgumentException("Pgd: need lo < hi, got [" + lo + ", " + hi + "]");
    }

    /** Madry et al.'s MNIST setting: L∞ ε = 0.3, α = 0.01, 40 steps, pixels in [0, 1]. */
    public static Pgd madryMnist(int restarts) {
        return new Pgd(Norm.LINF, 0.3, 0.01, 40, restarts, 0, 1);
    }

    /** Adversarial inputs for {@code x} (labels {@code y}), first dimension = samples. */
    public Tensor attack(Module model, Tensor x, Tensor y, Generator generator) {
        Tensor best = null, bestLoss = null;
        for (int r = 0; r < restarts; r++) {
            Tensor adv = oneRun(model, x, y, generator);
            Tensor loss = LossGradient.perSample(model, adv, y);
            if (best == null) {
                best = adv;
                bestLoss = loss;
            } else {
                try (var _ = Sinter.noGrad()) {
                    Tensor better = loss.gt(bestLoss);
                    best = Tensor.where(better.reshape(rowShape(x)), adv, best);
                    bestLoss = Tensor.where(better, loss, bestLoss);
                }
            }
        }
        return best;
    }

    private Tensor oneRun(Module model, Tensor x, Tensor y, Generator generator) {
        Tensor delta;
        try (var _ = Sinter.noGrad()) {
            delta = Tensor.zeros(x.dtype(), x.shape());
            if (norm == Norm.LINF) {
                generator.uniform_(delta, -epsilon, epsilon);
            } else {
                // A uniform direction, scaled to a radius below ε.
                generator.normal_(delta, 0, 1);
                Tensor radius = generator.rand(x.dtype(), rowShape(x)).mul(epsilon);
                delta = delta.mul(radius.div(rowNorms(delta).add(1e-12)));
            }
            delta = x.add(delta).clamp(lo, hi).sub(x);
        }
        for (int s = 0; s < steps; s++) {
            Tensor g = LossGradient.of(model, x.add(delta), y);
            try (var _ = Sinter.noGrad()) {
                if (norm == Norm.LINF) {
                    delta = delta.add(g.sign().mul(stepSize)).clamp(-epsilon, epsilon);
                } else {
                    delta = delta.add(g.mul(rowNorms(g).add(1e-12).reciprocal().mul(stepSize)));
                    delta = delta.mul(rowNorms(delta).add(1e-12).reciprocal().mul(epsilon).clampMax(1.0));
                }
                delta = x.add(delta).clamp(lo, hi).sub(x);
            }
        }
        try (var _ = Sinter.noGrad()) {
            return x.add(delta);
        }
    }

    /** ‖t_i‖₂ per sample, shaped {@code [N, 1, …, 1]} to broadcast against t. */
    static Tensor rowNorms(Tensor t) {
        int n = t.size(0);
        return t.reshape(n, -1).pow(2).sum(1, false).sqrt().reshape(rowShape(t));
    }

    private static int[] rowShape(Tensor t) {
        int[] s = new int[t.dim()];
        java.util.Arrays.fill(s, 1);
        s[0] = t.size(0);
        return s;
    }

    /** Fraction of samples whose prediction on the attacked input is still the label. */
    public double robustAccuracy(Module model, Tensor x, Tensor y, Generator generator) {
        Tensor adv = attack(model, x, y, generator);
        return Accuracy.of(model, adv, y);
    }
}
