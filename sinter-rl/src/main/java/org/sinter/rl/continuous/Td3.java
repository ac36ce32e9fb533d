package org.sinter.rl.continuous;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;
import org.sinter.rl.Env;

/**
 * Twin delayed DDPG (Fujimoto et al. 2018) following CleanRL's {@code td3_continuous_action.py}:
 * twin critics regress on r + γ(1 − terminated)·min(Q'₁, Q'₂)(s', ã) where the target action
 * ã = clip(μ'(s') + clip(N(0, policyNoise²), ±noiseClip)·scale) is smoothed by clipped noise; the
 * actor ascends Q₁(s, μ(s)) and the targets move only every {@code policyFrequency} steps.
 */
public final class Td3 extends OffPolicyTrainer {
    private final DeterministicActor actor, targetActor;
    private final ContinuousQNetwork qf1, qf2, qf1Target, qf2Target;
    private final Adam actorOptimizer, qOptimizer;

    public Td3(Env<double[], double[]> env, OffPolicyConfig config, long seed) {
        super("Td3", env, config, seed);
        int[] h = config.hidden();
        actor = new DeterministicActor(observationSize, actionSpace, h);
        qf1 = new ContinuousQNetwork(observationSize, actionSize, h);
        qf2 = new ContinuousQNetwork(observationSize, actionSize, h);
        targetActor = copyOf(actor, new DeterministicActor(observationSize, actionSpace, h));
        qf1Target = copyOf(qf1, new ContinuousQNetwork(observationSize, actionSize, h));
        qf2Target = copyOf(qf2, new ContinuousQNetwork(observationSize, actionSize, h));
        actorOptimizer = new Adam(actor.parameters(), config.actorLearningRate());
        java.util.List<org.sinter.Tensor> q = new java.util.ArrayList<>(qf1.parameters());
        q.addAll(qf2.parameters());
        qOptimizer = new Adam(q, config.criticLearningRate());
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
            Tensor smoothing = noise(b[1].shape()).mul(config.policyNoise()).clamp(-config.noiseClip(), config.noiseClip()).mul(actor.actionScale());
            Tensor nextActions = clipToBox(targetActor.forward(nextObs).add(smoothing));
            Tensor nextQ = qf1Target.forward(nextObs, nextActions).minimum(qf2Target.forward(nextObs, nextActions)).squeeze(1);
            target = rewards.add(nextQ.mul(notTerminated).mul(config.gamma()));
        }
        Tensor qLoss = F.mseLoss(qf1.forward(obs, actions).squeeze(1), target).add(F.mseLoss(qf2.forward(obs, actions).squeeze(1), target));
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
            softUpdate(qf2, qf2Target, config.tau());
        }
    }
}
