package org.sinter.privacy.adversarial;

import java.util.Arrays;
import org.sinter.Tensor;
import org.sinter.nn.Module;

/**
 * The loss-threshold membership-inference attack (Yeom, Giacomelli, Fredrikson and Jha 2018):
 * guess "member" when a sample's loss is below a threshold, since a model fits its training data
 * better than unseen data. Its membership advantage, TPR − FPR, is what differential privacy bounds
 * (at most {@code e^ε − 1 + δ}-ish for (ε, δ)-DP), so measuring it with and without DP-SGD shows
 * what the guarantee buys in practice.
 */
public final class MembershipInference {
    private MembershipInference() {}

    /** The attack's outcome: the best threshold over all cut points, and its TPR, FPR and advantage. */
    public record Result(double threshold, double truePositiveRate, double falsePositiveRate) {
        public double advantage() {
            return truePositiveRate - falsePositiveRate;
        }
    }

    /** Per-sample cross-entropy losses of members and non-members, then {@link #bestThreshold}. */
    public static Result lossThreshold(Module model, Tensor memberX, Tensor memberY, Tensor otherX, Tensor otherY) {
        double[] in = LossGradient.perSample(model, memberX, memberY).toDoubleArray();
        double[] out = LossGradient.perSample(model, otherX, otherY).toDoubleArray();
        return bestThreshold(in, out);
    }

    /**
     * The threshold with the largest advantage {@code P[loss_member ≤ t] − P[loss_other ≤ t]},
     * an upper estimate of what an attacker who knows the loss distributions achieves.
     */
    public static Result bestThreshold(double[] memberLosses, double[] otherLosses) {
        if (memberLosses.length == 0 || otherLosses.length == 0) {
            throw new IllegalArgumentException("MembershipInference: need members and non-members, got " + memberLosses.length + " and "
                    + otherLosses.length);
        }
        double[] in = memberLosses.clone(), out = otherLosses.clone();
        Arrays.sort(in);
        Arrays.sort(out);
        Result best = new Result(Double.NEGATIVE_INFINITY, 0, 0);
        int j = 0, k = 0;
        // Sweep the cut points in increasing order; at each, count losses ≤ t on both sides.
        while (j < in.length || k < out.length) {
            double t = k >= out.length || (j < in.length && in[j] <= out[k]) ? in[j] : out[k];
            while (j < in.length && in[j] <= t) j++;
            while (k < out.length && out[k] <= t) k++;
            Result r = new Result(t, (double) j / in.length, (double) k / out.length);
            if (r.advantage() > best.advantage()) best = r;
        }
        return best;
    }
}
