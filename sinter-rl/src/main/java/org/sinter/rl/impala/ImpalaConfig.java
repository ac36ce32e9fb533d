package org.sinter.rl.impala;

/**
 * IMPALA's settings (names after Espeholt et al. 2018 and TorchBeast).
 *
 * @param numActors actor threads, each stepping its own environment copy with its own policy snapshot
 * @param unrollLength steps per trajectory an actor sends
 * @param batchTrajectories trajectories per learner update
 * @param queueCapacity trajectories that may wait for the learner before actors block
 * @param learningRate Adam's learning rate
 * @param gamma discount
 * @param entCoef entropy bonus weight
 * @param vfCoef baseline (value) loss weight, on ½·(v_s − V)²
 * @param maxGradNorm global gradient-norm clip
 * @param rhoBar ρ̄ and the policy-gradient clip of V-trace
 * @param cBar c̄ of V-trace
 * @param hidden width of the actor-critic's two hidden layers
 * @param totalTimesteps environment steps the learner consumes at most
 */
public record ImpalaConfig(int numActors, int unrollLength, int batchTrajectories, int queueCapacity, double learningRate, double gamma,
                           double entCoef, double vfCoef, double maxGradNorm, double rhoBar, double cBar, int hidden, long totalTimesteps)
        implements java.io.Serializable {
    public ImpalaConfig {
        if (numActors <= 0 || unrollLength <= 0 || batchTrajectories <= 0 || queueCapacity <= 0 || hidden <= 0 || totalTimesteps <= 0) {
            throw new IllegalArgumentException("ImpalaConfig: counts must be positive: " + this);
        }
    }

    /** CartPole settings: 20-step unrolls, 4 per update, Adam 1e-3, entropy 0.01, ρ̄ = c̄ = 1. */
    public static ImpalaConfig cartPole(int numActors) {
        return new ImpalaConfig(numActors, 20, 4, 4 * numActors, 1e-3, 0.99, 0.01, 0.5, 0.5, 1.0, 1.0, 64, 200_000);
    }

    public ImpalaConfig withTotalTimesteps(long total) {
        return new ImpalaConfig(numActors, unrollLength, batchTrajectories, queueCapacity, learningRate, gamma, entCoef, vfCoef, maxGradNorm,
                rhoBar, cBar, hidden, total);
    }
}
