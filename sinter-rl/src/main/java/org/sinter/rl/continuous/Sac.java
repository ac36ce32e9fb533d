package org.sinter.rl.continuous;

import java.util.List;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.optim.Adam;
import org.sinter.rl.Env;

/**
 * Soft actor-critic (Haarnoja et al. 2018, with the automatic temperature of the second paper)
 * following CleanRL's {@code sac_continuous_action.py}: a tanh-squashed Gaussian policy
 * ({@link SquashedGaussianActor}), twin soft Q-networks with Polyak-averaged targets, and α tuned
 * towards a target entropy of −dim(A). The losses are {@link SacLosses}; every
 * {@code policyFrequency} steps the actor (and α) take {@code policyFrequency} steps at once, as
 * CleanRL does to make up for the delay.
 */
public final class Sac extends OffPolicyTrainer {
    private final SquashedGaussianActor actor;
    private final ContinuousQNetwork qf1, qf2, qf1Target, qf2Target;
    private final Adam actorOptimizer, qOptimizer, alphaOptimizer;
    private final Tensor logAlpha;
    private final double targetEntropy;
    private double alpha;

    public Sac(Env<double[], double[]> env, OffPolicyConfig config, long seed) {
        super("Sac", env, config, seed);
        // the creation order fixes which global draws initialize which network: keep it
        actor = new SquashedGaussianActor(observationSize, actionSpace, config.hidden());
        qf1 = newCritic();
        qf2 = newCritic();
        qf1Target = copyOf(qf1, newCritic());
        qf2Target = copyOf(qf2, newCritic());
        actorOptimizer = new Adam(actor.parameters(), config.actorLearningRate());
        qOptimizer = twinOptimizer(qf1, qf2);
        targetEntropy = -actionSize;
        if (config.autotune()) {
            logAlpha = Tensor.zeros(1).requiresGrad(true); // CleanRL starts tuning from α = 1
            alphaOptimizer = new Adam(List.of(logAlpha), config.criticLearningRate());
            alpha = 1.0;
        } else {
            logAlpha = null;
            alphaOptimizer = null;
            alpha = config.alpha();
        }
    }

    @Override
    public Module policy() {
        return actor;
    }

    /** The current entropy coefficient. */
    public double alpha() {
        return alpha;
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
            return firstRow(actor.sample(row(observation), noise(1, actionSize)).action());
        }
    }

    @Override
    protected java.util.Map<String, Module> networks() {
        return java.util.Map.of("actor", actor, "qf1", qf1, "qf2", qf2, "qf1_target", qf1Target, "qf2_target", qf2Target);
    }

    @Override
    protected java.util.Map<String, Adam> optimizers() {
        return alphaOptimizer == null ? java.util.Map.of("actor", actorOptimizer, "q", qOptimizer)
                : java.util.Map.of("actor", actorOptimizer, "q", qOptimizer, "alpha", alphaOptimizer);
    }

    /** The temperature: log α (a float32 leaf tensor, outside every network) and α. */
    @Override
    protected void saveExtra(org.sinter.rl.StateCodec.Writer w) {
        w.putDouble(logAlpha == null ? Double.NaN : logAlpha.item()).putDouble(alpha);
    }

    @Override
    protected void restoreExtra(org.sinter.rl.StateCodec.Reader r) {
        double saved = r.getDouble();
        if (logAlpha != null) {
            try (var _ = Sinter.noGrad()) {
                logAlpha.fill_(saved);
            }
        }
        alpha = r.getDouble();
    }

    @Override
    protected void update(long step) {
        Minibatch m = sampleMinibatch();
        Tensor obs = m.observations(), actions = m.actions(), rewards = m.rewards(), nextObs = m.nextObservations(), notTerminated = m.notTerminated();
        int n = rewards.shape()[0];
        Tensor qLoss = SacLosses.critic(actor, qf1, qf2, qf1Target, qf2Target, alpha, config.gamma(), obs, actions, rewards, nextObs,
                notTerminated, noise(n, actionSize));
        step(qOptimizer, qLoss);
        if (step % config.policyFrequency() == 0) {
            for (int k = 0; k < config.policyFrequency(); k++) {
                step(actorOptimizer, SacLosses.actor(actor, qf1, qf2, alpha, obs, noise(n, actionSize))[0]);
                if (logAlpha != null) {
                    Tensor logProb;
                    try (var _ = Sinter.noGrad()) {
                        logProb = actor.sample(obs, noise(n, actionSize)).logProb();
                    }
                    step(alphaOptimizer, SacLosses.alpha(logAlpha, logProb, targetEntropy));
                    alpha = Math.exp(logAlpha.item());
                }
            }
        }
        if (step % config.targetNetworkFrequency() == 0) {
            softUpdate(qf1, qf1Target, config.tau());
            softUpdate(qf2, qf2Target, config.tau());
        }
    }
}
