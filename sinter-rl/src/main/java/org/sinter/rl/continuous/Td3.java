package org.sinter.rl.continuous;

import org.sinter.Tensor;
import org.sinter.optim.Adam;
import org.sinter.rl.Env;

/**
 * Twin delayed DDPG (Fujimoto et al. 2018) following CleanRL's {@code td3_continuous_action.py}:
 * twin critics regress on r + γ(1 − terminated)·min(Q'₁, Q'₂)(s', ã) where the target action
 * ã = clip(μ'(s') + clip(N(0, policyNoise²), ±noiseClip)·scale) is smoothed by clipped noise; the
 * actor ascends Q₁(s, μ(s)) and the targets move only every {@code policyFrequency} steps. The
 * losses are {@link DeterministicLosses}.
 */
public final class Td3 extends DeterministicPolicyTrainer {
    private final DeterministicActor actor, targetActor;
    private final ContinuousQNetwork qf1, qf2, qf1Target, qf2Target;
    private final Adam actorOptimizer, qOptimizer;

    public Td3(Env<double[], double[]> env, OffPolicyConfig config, long seed) {
        super("Td3", env, config, seed);
        // the creation order fixes which global draws initialize which network: keep it
        actor = newActor();
        qf1 = newCritic();
        qf2 = newCritic();
        targetActor = copyOf(actor, newActor());
        qf1Target = copyOf(qf1, newCritic());
        qf2Target = copyOf(qf2, newCritic());
        actorOptimizer = new Adam(actor.parameters(), config.actorLearningRate());
        qOptimizer = twinOptimizer(qf1, qf2);
    }

    @Override
    protected DeterministicActor actor() {
        return actor;
    }

    @Override
    protected java.util.Map<String, org.sinter.nn.Module> networks() {
        return java.util.Map.of("actor", actor, "qf1", qf1, "qf2", qf2, "target_actor", targetActor, "qf1_target", qf1Target, "qf2_target", qf2Target);
    }

    @Override
    protected java.util.Map<String, Adam> optimizers() {
        return java.util.Map.of("actor", actorOptimizer, "q", qOptimizer);
    }

    @Override
    protected void update(long step) {
        Minibatch m = sampleMinibatch();
        Tensor obs = m.observations(), actions = m.actions(), rewards = m.rewards(), nextObs = m.nextObservations(), notTerminated = m.notTerminated();
        Tensor target = DeterministicLosses.td3Target(targetActor, qf1Target, qf2Target, config.gamma(), rewards, nextObs, notTerminated,
                noise(actions.shape()), config.policyNoise(), config.noiseClip(), low, high);
        step(qOptimizer, DeterministicLosses.critic(target, obs, actions, qf1, qf2));
        if (step % config.policyFrequency() == 0) {
            step(actorOptimizer, DeterministicLosses.actor(actor, qf1, obs));
            softUpdate(actor, targetActor, config.tau());
            softUpdate(qf1, qf1Target, config.tau());
            softUpdate(qf2, qf2Target, config.tau());
        }
    }
}
