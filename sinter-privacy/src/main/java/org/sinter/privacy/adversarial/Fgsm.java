package org.sinter.privacy.adversarial;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;

/**
 * The fast gradient sign method (Goodfellow, Shlens and Szegedy 2015): one step of size ε along
 * the sign of the loss gradient, {@code x' = clamp(x + ε·sign(∇ₓ L), lo, hi)}: the L∞-bounded
 * perturbation that most increases the loss's linearisation.
 */
public final class Fgsm {
    private Fgsm() {}

    /** Adversarial inputs for {@code x} (labels {@code y}) within L∞ distance {@code epsilon}, kept in [lo, hi]. */
    public static Tensor attack(Module model, Tensor x, Tensor y, double epsilon, double lo, double hi) {
        if (!(epsilon >= 0)) throw new IllegalArgumentException("Fgsm: ε must be >= 0, got " + epsilon);
        Tensor g = LossGradient.of(model, x, y);
        try (var _ = Sinter.noGrad()) {
            return x.add(g.sign().mul(epsilon)).clamp(lo, hi);
        }
    }
}
