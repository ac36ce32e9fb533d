package org.sinter.rl.a2c;

import org.sinter.Tensor;
import org.sinter.rl.actorcritic.ActorCritic;

/**
 * The synchronous advantage actor-critic loss (Mnih et al. 2016, as Stable-Baselines3 computes it):
 * policy gradient −mean(A·log π(a|s)), value loss mean((R − V(s))²), entropy bonus mean(H(π(·|s))),
 * combined as policy + vfCoef·value − entCoef·entropy. Advantages and returns are constants.
 */
public final class A2cLoss {
    /** The total and its three parts (scalars). */
    public record Parts(Tensor total, Tensor policy, Tensor value, Tensor entropy) {}

    private A2cLoss() {}

    /**
     * @param observations (B, obs)
     * @param actions (B, 1) int64
     * @param advantages (B)
     * @param returns (B) value targets
     */
    public static Parts of(ActorCritic model, Tensor observations, Tensor actions, Tensor advantages, Tensor returns, double entCoef, double vfCoef) {
        Tensor logProbs = model.logits(observations).logSoftmax(1);
        Tensor logProb = logProbs.gather(1, actions).squeeze(1);
        Tensor entropy = logProbs.exp().mul(logProbs).sum(1, false).neg().mean();
        Tensor policy = advantages.mul(logProb).mean().neg();
        Tensor value = model.value(observations).sub(returns).square().mean();
        return new Parts(policy.add(value.mul(vfCoef)).sub(entropy.mul(entCoef)), policy, value, entropy);
    }
}
