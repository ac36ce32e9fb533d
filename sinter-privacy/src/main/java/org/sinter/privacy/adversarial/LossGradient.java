package org.sinter.privacy.adversarial;

import java.util.List;
import org.sinter.Autograd;
import org.sinter.GradMode;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.nn.functional.Reduction;

/** What every gradient attack needs: per-sample cross-entropy losses and their gradient with respect to the input. */
final class LossGradient {
    private LossGradient() {}

    /** ∂(Σ_i loss_i)/∂x: each sample's row is the gradient of its own loss. The model's parameters get no gradient. */
    static Tensor of(Module model, Tensor x, Tensor y) {
        try (var _ = GradMode.set(true)) {
            Tensor xr = x.detach().requiresGrad(true);
            Tensor loss = F.crossEntropy(model.forward(xr), y, null, -100, Reduction.SUM, 0.0);
            return Autograd.grad(loss, List.of(xr), false).get(0);
        }
    }

    /** Per-sample losses, without recording autograd. */
    static Tensor perSample(Module model, Tensor x, Tensor y) {
        try (var _ = Sinter.noGrad()) {
            return F.crossEntropy(model.forward(x), y, null, -100, Reduction.NONE, 0.0);
        }
    }
}
