package org.sinter.rl.ppo;

import org.sinter.Tensor;

/**
 * PPO's loss on one minibatch, for any policy that gives the new log-probabilities and entropies
 * of the minibatch's actions (categorical or Gaussian), as in CleanRL's {@code ppo.py} and
 * {@code ppo_continuous_action.py}: the clipped surrogate −mean min(A·r, A·clip(r, 1 ± ε)) with
 * r = exp(log π − log π_old), the value loss ½·mean (V − R)² (or, clipped, ½·mean max((V − R)²,
 * (V_old + clip(V − V_old, ±ε) − R)²)), and total = policy − entCoef·mean H + vfCoef·value.
 */
public final class PpoLoss {
    /** The three terms and their weighted total (differentiable). */
    public record Parts(Tensor policy, Tensor value, Tensor entropy, Tensor total) {}

    private PpoLoss() {}

    public static Parts of(Tensor newLogProb, Tensor entropy, Tensor value, Tensor oldLogProb, Tensor oldValue, Tensor advantage, Tensor returns,
                           double clipCoef, boolean clipVloss, double entCoef, double vfCoef) {
        Tensor ratio = newLogProb.sub(oldLogProb).exp();
        Tensor pgLoss = advantage.mul(ratio).minimum(advantage.mul(ratio.clamp(1 - clipCoef, 1 + clipCoef))).mean().neg();
        Tensor vLoss;
        if (clipVloss) {
            Tensor unclipped = value.sub(returns).square();
            Tensor clipped = oldValue.add(value.sub(oldValue).clamp(-clipCoef, clipCoef)).sub(returns).square();
            vLoss = unclipped.maximum(clipped).mean().mul(0.5);
        } else {
            vLoss = value.sub(returns).square().mean().mul(0.5);
        }
        Tensor entropyMean = entropy.mean();
        return new Parts(pgLoss, vLoss, entropyMean, pgLoss.sub(entropyMean.mul(entCoef)).add(vLoss.mul(vfCoef)));
    }

    /** In place: zero mean, unit (sample) standard deviation, as CleanRL's {@code (a − μ) / (σ + 1e-8)}. */
    public static void normalizeAdvantages(float[] a) {
        double mean = 0;
        for (float v : a) mean += v;
        mean /= a.length;
        double var = 0;
        for (float v : a) var += (v - mean) * (v - mean);
        double std = Math.sqrt(var / Math.max(a.length - 1, 1));
        for (int i = 0; i < a.length; i++) a[i] = (float) ((a[i] - mean) / (std + 1e-8));
    }

    /** Fisher–Yates with {@code random}, the minibatch order of one epoch. */
    public static void shuffle(int[] a, java.util.random.RandomGenerator random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
