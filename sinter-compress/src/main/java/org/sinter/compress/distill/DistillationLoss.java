package org.sinter.compress.distill;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.functional.Reduction;

/**
 * Hinton, Vinyals and Dean's knowledge-distillation loss ("Distilling the Knowledge in a Neural
 * Network", 2015): {@code alpha · T² · KL(softmax(t/T) ‖ softmax(s/T)) + (1 - alpha) · CE(s, y)}.
 * The T² keeps the soft term's gradients on the scale of the hard term's as T changes. Inputs may be
 * logits or log-probabilities (a log-softmax output differs from the logits by a per-row constant,
 * which the softmax ignores).
 */
public record DistillationLoss(double temperature, double alpha) {
    public DistillationLoss {
        if (!(temperature > 0)) throw new IllegalArgumentException("distillation: temperature must be > 0, got " + temperature);
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("distillation: alpha must be in [0, 1], got " + alpha);
    }

    /** The loss for a batch: student and teacher outputs (N, classes), targets (N) class indices. */
    public Tensor compute(Tensor student, Tensor teacher, Tensor target) {
        if (!java.util.Arrays.equals(student.shape(), teacher.shape()) || student.dim() != 2) {
            throw new IllegalArgumentException("distillation: student output " + student.describe() + " and teacher output "
                    + teacher.describe() + " must both be (N, classes)");
        }
        Tensor soft = softTerm(student, teacher);
        if (alpha == 1) return soft.mul(alpha);
        Tensor hard = F.crossEntropy(student, target);
        return alpha == 0 ? hard : soft.mul(alpha).add(hard.mul(1 - alpha));
    }

    /** {@code T² · KL(softmax(t/T) ‖ softmax(s/T))}, averaged over the batch. */
    public Tensor softTerm(Tensor student, Tensor teacher) {
        Tensor s = student.div(temperature).logSoftmax(1);
        Tensor t = teacher.detach().div(temperature).logSoftmax(1);
        return F.klDiv(s, t, Reduction.BATCHMEAN, true).mul(temperature * temperature);
    }
}
