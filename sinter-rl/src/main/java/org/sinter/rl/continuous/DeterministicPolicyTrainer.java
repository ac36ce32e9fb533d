package org.sinter.rl.continuous;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.rl.Env;

/**
 * What DDPG and TD3 share beyond {@link OffPolicyTrainer}: a {@link DeterministicActor} that acts
 * greedily as μ(s) and explores with μ(s) + N(0, (explorationNoise·scale)²) clipped to the box.
 */
abstract class DeterministicPolicyTrainer extends OffPolicyTrainer {
    DeterministicPolicyTrainer(String algorithm, Env<double[], double[]> env, OffPolicyConfig config, long seed) {
        super(algorithm, env, config, seed);
    }

    /** The online actor μ. */
    protected abstract DeterministicActor actor();

    /** A fresh actor of this trainer's shape (drawing its initial weights from the global seed). */
    protected final DeterministicActor newActor() {
        return new DeterministicActor(observationSize, actionSpace, config.hidden());
    }

    @Override
    public Module policy() {
        return actor();
    }

    @Override
    public double[] act(double[] observation) {
        try (var _ = Sinter.noGrad()) {
            return firstRow(actor().forward(row(observation)));
        }
    }

    @Override
    protected double[] explore(double[] observation) {
        try (var _ = Sinter.noGrad()) {
            Tensor a = actor().forward(row(observation));
            return firstRow(clipToBox(a.add(noise(1, actionSize).mul(actor().actionScale()).mul(config.explorationNoise()))));
        }
    }
}
