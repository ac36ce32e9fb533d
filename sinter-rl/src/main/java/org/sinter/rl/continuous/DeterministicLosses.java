package org.sinter.rl.continuous;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * DDPG's and TD3's losses on one minibatch (CleanRL's {@code ddpg_continuous_action.py} and
 * {@code td3_continuous_action.py}), apart from the loop so that they can be checked against
 * PyTorch on a fixed batch with fixed weights and noise.
 */
public final class DeterministicLosses {
    private DeterministicLosses() {}

    /** DDPG's target y = r + γ(1 − terminated)·Q'(s', μ'(s')), without gradient. */
    public static Tensor ddpgTarget(DeterministicActor targetActor, ContinuousQNetwork qfTarget, double gamma, Tensor rewards,
                                    Tensor nextObservations, Tensor notTerminated) {
        try (var _ = Sinter.noGrad()) {
            Tensor nextQ = qfTarget.forward(nextObservations, targetActor.forward(nextObservations)).squeeze(1);
            return rewards.add(nextQ.mul(notTerminated).mul(gamma));
        }
    }

    /**
     * TD3's target y = r + γ(1 − terminated)·min(Q'₁, Q'₂)(s', ã) with the smoothed target action
     * ã = clip(μ'(s') + clip(policyNoise·ε, ±noiseClip)·scale, low, high), ε = {@code noise}
     * (standard normal, the actions' shape); without gradient.
     */
    public static Tensor td3Target(DeterministicActor targetActor, ContinuousQNetwork qf1Target, ContinuousQNetwork qf2Target, double gamma,
                                   Tensor rewards, Tensor nextObservations, Tensor notTerminated, Tensor noise, double policyNoise,
                                   double noiseClip, Tensor low, Tensor high) {
        try (var _ = Sinter.noGrad()) {
            Tensor nextActions = smoothedTargetAction(targetActor, nextObservations, noise, policyNoise, noiseClip, low, high);
            Tensor nextQ = qf1Target.forward(nextObservations, nextActions).minimum(qf2Target.forward(nextObservations, nextActions)).squeeze(1);
            return rewards.add(nextQ.mul(notTerminated).mul(gamma));
        }
    }

    /** TD3's target-policy smoothing: clip(μ'(s') + clip(policyNoise·ε, ±noiseClip)·scale, low, high). */
    public static Tensor smoothedTargetAction(DeterministicActor targetActor, Tensor nextObservations, Tensor noise, double policyNoise,
                                              double noiseClip, Tensor low, Tensor high) {
        Tensor smoothing = noise.mul(policyNoise).clamp(-noiseClip, noiseClip).mul(targetActor.actionScale());
        return targetActor.forward(nextObservations).add(smoothing).maximum(low).minimum(high);
    }

    /** Σ over the critics of MSE(Q(s, a), y): one critic for DDPG, the twins for TD3. */
    public static Tensor critic(Tensor target, Tensor observations, Tensor actions, ContinuousQNetwork... critics) {
        Tensor loss = null;
        for (ContinuousQNetwork q : critics) {
            Tensor l = F.mseLoss(q.forward(observations, actions).squeeze(1), target);
            loss = loss == null ? l : loss.add(l);
        }
        return loss;
    }

    /** The deterministic policy gradient's loss −mean Q₁(s, μ(s)). */
    public static Tensor actor(DeterministicActor actor, ContinuousQNetwork qf1, Tensor observations) {
        return qf1.forward(observations, actor.forward(observations)).mean().neg();
    }
}
