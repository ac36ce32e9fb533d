package org.sinter.rl.continuous;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;
import org.sinter.rl.Env;

/**
 * Deep deterministic policy gradient (Lillicrap et al. 2016) following CleanRL's
 * {@code ddpg_continuous_action.py}: behaviour actions μ(s) + N(0, (noise·scale)²) clipped to the
 * box; the critic regresses on r + γ(1 − terminated)·Q'(s', μ'(s')); every {@code policyFrequency}
 * steps the actor ascends Q(s, μ(s)) and both targets move by Polyak averaging.
 */
public final class Ddpg extends OffPolicyTrainer {
    private final DeterministicActor actor, targetActor;
    private final ContinuousQNetwork qf1, qf1Target;
    private final Adam actorOptimizer, qOptimizer;

    public Ddpg(Env<double[], double[]> env, OffPolicyConfig config, long seed) {
        super("Ddpg", env, config, seed);
        int[] h = config.hidden();
        actor = new DeterministicActor(observationSize, actionSpace, h);
        qf1 = new ContinuousQNetwork(observationSize, actionSize, h);
        targetActor = copyOf(actor, new DeterministicActor(observationSize, actionSpace, h));
        qf1Target = copyOf(qf1, new ContinuousQNetwork(observationSize, actionSize, h));
        actorOptimizer = new Adam(actor.parameters(), config.actorLearningRate());
        qOptimizer = new Adam(qf1.parameters(), config.criticLearningRate());
    }

    @Override
    public Module policy() {
        return actor;
    }

    @Override
    public double[] act(double[] observation) {
        try (var _ = Sinter.noGrad()) {
            return firstRow(actor.forward(row(observation)));
        }
    }

    @Override
    protected double[] explore(double[] observation) {
        try (var _ = Sinter.noGrad()) {
            Tensor a = actor.forward(row(observation));
            return firstRow(clipToBox(a.add(noise(1, actionSize).mul(actor.actionScale()).mul(config.explorationNoise()))));
        }
    }

    @Override
    protected void update(long step) {
        Tensor[] b = tensors(buffer.sample(config.batchSize(), generator.random()));
        Tensor obs = b[0], actions = b[1], rewards = b[2], nextObs = b[3], notTerminated = b[4];
        Tensor target;
        try (var _ = Sinter.noGrad()) {
            Tensor nextQ = qf1Target.forward(nextObs, targetActor.forward(nextObs)).squeeze(1);
            target = rewards.add(nextQ.mul(notTerminated).mul(config.gamma()));
        }
        Tensor qLoss = F.mseLoss(qf1.forward(obs, actions).squeeze(1), target);
        qOptimizer.zeroGrad();
        qLoss.backward();
        qOptimizer.step();
        if (step % config.policyFrequency() == 0) {
            Tensor actorLoss = qf1.forward(obs, actor.forward(obs)).mean().neg();
            actorOptimizer.zeroGrad();
            actorLoss.backward();
            actorOptimizer.step();
            softUpdate(actor, targetActor, config.tau());
            softUpdate(qf1, qf1Target, config.tau());
        }
    }
}
