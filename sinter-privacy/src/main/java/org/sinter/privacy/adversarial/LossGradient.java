package org.sinter.privacy.adversarial;

import java.util.ArrayList;
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
        // The parameters stop requiring grad for this pass, so the graph has no edges to them and
        // backward skips every weight gradient (for a small CNN about half of the backward's work);
        // they are restored whatever happens.
        List<Tensor> frozen = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            if (p.requiresGrad()) {
                p.requiresGrad(false);
                frozen.add(p);
            }
        }
        try (var _ = GradMode.set(true)) {
            Tensor xr = x.detach().requiresGrad(true);
            Tensor loss = F.crossEntropy(model.forward(xr), y, null, -100, Reduction.SUM, 0.0);
            return Autograd.grad(loss, List.of(xr), false).get(0);
        } finally {
            for (Tensor p : frozen) p.requiresGrad(true);
        }
    }

    /** Per-sample losses, without recording autograd. */
    static Tensor perSample(Module model, Tensor x, Tensor y) {
        try (var _ = Sinter.noGrad()) {
            return F.crossEntropy(model.forward(x), y, null, -100, Reduction.NONE, 0.0);
        }
    }
}
