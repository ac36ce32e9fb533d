package org.sinter.rl.continuous;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * SAC's three losses on one minibatch (CleanRL's {@code sac_continuous_action.py}), apart from the
 * loop so that they can be checked against PyTorch on a fixed batch with fixed noise.
 */
public final class SacLosses {
    private SacLosses() {}

    /**
     * The soft Bellman loss MSE(Q₁(s, a), y) + MSE(Q₂(s, a), y) with
     * y = r + γ(1 − terminated)·[min(Q'₁, Q'₂)(s', a') − α·log π(a'|s')], a' ~ π(·|s') drawn with
     * {@code nextNoise}; the target carries no gradient.
     */
    public static Tensor critic(SquashedGaussianActor actor, ContinuousQNetwork qf1, ContinuousQNetwork qf2, ContinuousQNetwork qf1Target,
                                ContinuousQNetwork qf2Target, double alpha, double gamma, Tensor observations, Tensor actions, Tensor rewards,
                                Tensor nextObservations, Tensor notTerminated, Tensor nextNoise) {
        Tensor target;
        try (var _ = Sinter.noGrad()) {
            SquashedGaussianActor.Sample next = actor.sample(nextObservations, nextNoise);
            Tensor minQ = qf1Target.forward(nextObservations, next.action()).minimum(qf2Target.forward(nextObservations, next.action()));
            Tensor soft = minQ.sub(next.logProb().mul(alpha)).squeeze(1);
            target = rewards.add(soft.mul(notTerminated).mul(gamma));
        }
        return F.mseLoss(qf1.forward(observations, actions).squeeze(1), target)
                .add(F.mseLoss(qf2.forward(observations, actions).squeeze(1), target));
    }

    /** The policy loss mean(α·log π(ã|s) − min(Q₁, Q₂)(s, ã)), ã ~ π(·|s) drawn with {@code noise}, and its log π. */
    public static Tensor[] actor(SquashedGaussianActor actor, ContinuousQNetwork qf1, ContinuousQNetwork qf2, double alpha, Tensor observations,
                                 Tensor noise) {
        SquashedGaussianActor.Sample s = actor.sample(observations, noise);
        Tensor minQ = qf1.forward(observations, s.action()).minimum(qf2.forward(observations, s.action()));
        return new Tensor[] {s.logProb().mul(alpha).sub(minQ).mean(), s.logProb()};
    }

    /** The temperature loss mean(−exp(log α)·(log π + target entropy)), log π held fixed. */
    public static Tensor alpha(Tensor logAlpha, Tensor logProb, double targetEntropy) {
        return logAlpha.exp().neg().mul(logProb.detach().add(targetEntropy)).mean();
    }
}
