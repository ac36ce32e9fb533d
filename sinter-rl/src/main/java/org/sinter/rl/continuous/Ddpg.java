package org.sinter.rl.continuous;

import org.sinter.Tensor;
import org.sinter.optim.Adam;
import org.sinter.rl.Env;

/**
 * Deep deterministic policy gradient (Lillicrap et al. 2016) following CleanRL's
 * {@code ddpg_continuous_action.py}: behaviour actions μ(s) + N(0, (noise·scale)²) clipped to the
 * box; the critic regresses on r + γ(1 − terminated)·Q'(s', μ'(s')); every {@code policyFrequency}
 * steps the actor ascends Q(s, μ(s)) and both targets move by Polyak averaging. The losses are
 * {@link DeterministicLosses}.
 */
public final class Ddpg extends DeterministicPolicyTrainer {
    private final DeterministicActor actor, targetActor;
    private final ContinuousQNetwork qf1, qf1Target;
    private final Adam actorOptimizer, qOptimizer;

    public Ddpg(Env<double[], double[]> env, OffPolicyConfig config, long seed) {
        super("Ddpg", env, config, seed);
        // the creation order fixes which global draws initialize which network: keep it
        actor = newActor();
        qf1 = newCritic();
        targetActor = copyOf(actor, newActor());
        qf1Target = copyOf(qf1, newCritic());
        actorOptimizer = new Adam(actor.parameters(), config.actorLearningRate());
        qOptimizer = new Adam(qf1.parameters(), config.criticLearningRate());
    }

    @Override
    protected DeterministicActor actor() {
        return actor;
    }

    @Override
    protected java.util.Map<String, org.sinter.nn.Module> networks() {
        return java.util.Map.of("actor", actor, "qf1", qf1, "target_actor", targetActor, "qf1_target", qf1Target);
    }

    @Override
    protected java.util.Map<String, Adam> optimizers() {
        return java.util.Map.of("actor", actorOptimizer, "q", qOptimizer);
    }

    @Override
    protected void update(long step) {
        Minibatch m = sampleMinibatch();
        Tensor obs = m.observations(), actions = m.actions(), rewards = m.rewards(), nextObs = m.nextObservations(), notTerminated = m.notTerminated();
        Tensor target = DeterministicLosses.ddpgTarget(targetActor, qf1Target, config.gamma(), rewards, nextObs, notTerminated);
        step(qOptimizer, DeterministicLosses.critic(target, obs, actions, qf1));
        if (step % config.policyFrequency() == 0) {
            step(actorOptimizer, DeterministicLosses.actor(actor, qf1, obs));
            softUpdate(actor, targetActor, config.tau());
            softUpdate(qf1, qf1Target, config.tau());
        }
    }
}
