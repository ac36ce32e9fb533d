package org.sinter.privacy.adversarial;

import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;

/** Top-1 accuracy of a classifier on a batch (clean or attacked). */
public final class Accuracy {
    private Accuracy() {}

    public static double of(Module model, Tensor x, Tensor y) {
        try (var _ = Sinter.noGrad()) {
            return model.forward(x).argmax(1, false).eq(y).to(DType.FLOAT64).mean().item();
        }
    }
}
