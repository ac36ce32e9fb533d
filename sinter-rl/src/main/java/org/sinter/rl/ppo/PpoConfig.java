package org.sinter.rl.ppo;

/**
 * PPO's hyperparameters (names as in CleanRL's {@code ppo.py}). The defaults are CleanRL's
 * CartPole settings except a higher learning rate and more update epochs, which reach the
 * 475 bar in fewer environment steps (docs/rl.md lists the measurements).
 *
 * @param numEnvs parallel environment copies
 * @param numSteps steps per copy per rollout (a batch is numEnvs × numSteps transitions)
 * @param learningRate Adam's initial learning rate
 * @param annealLr decay the learning rate linearly to 0 over {@code totalTimesteps}
 * @param gamma discount
 * @param gaeLambda λ of generalized advantage estimation
 * @param numMinibatches minibatches per epoch
 * @param updateEpochs passes over each batch
 * @param normAdv normalize advantages per minibatch
 * @param clipCoef ε of the clipped surrogate objective
 * @param clipVloss clip the value update around the old values as well
 * @param entCoef entropy bonus weight
 * @param vfCoef value loss weight
 * @param maxGradNorm global gradient-norm clip
 * @param hidden width of the two hidden layers
 * @param totalTimesteps environment steps to train for at most
 */
public record PpoConfig(int numEnvs, int numSteps, double learningRate, boolean annealLr, double gamma, double gaeLambda,
                        int numMinibatches, int updateEpochs, boolean normAdv, double clipCoef, boolean clipVloss,
                        double entCoef, double vfCoef, double maxGradNorm, int hidden, long totalTimesteps) {
    public PpoConfig {
        if (numEnvs <= 0 || numSteps <= 0 || numMinibatches <= 0 || updateEpochs <= 0 || hidden <= 0 || totalTimesteps <= 0) {
            throw new IllegalArgumentException("PpoConfig: counts must be positive: " + this);
        }
        if ((numEnvs * numSteps) % numMinibatches != 0) {
            throw new IllegalArgumentException("PpoConfig: batch of " + numEnvs * numSteps + " does not split into " + numMinibatches + " minibatches");
        }
    }

    public static PpoConfig cartPole() {
        return new PpoConfig(4, 128, 1e-3, true, 0.99, 0.95, 4, 10, true, 0.2, true, 0.01, 0.5, 0.5, 64, 100_000);
    }

    /**
     * Pendulum-v1 with {@link ContinuousPpo}: CleanRL's {@code ppo_continuous_action.py} settings
     * (10 epochs, clip 0.2, no entropy bonus, clipped value loss, gradient clip 0.5) with the
     * RL Zoo's Pendulum choices that make it learn in 10⁵ steps rather than 10⁶: 4 copies × 512 steps,
     * γ 0.9, learning rate 1e-3 annealed; 32 minibatches of 64.
     */
    public static PpoConfig pendulum() {
        return new PpoConfig(4, 512, 1e-3, true, 0.9, 0.95, 32, 10, true, 0.2, true, 0.0, 0.5, 0.5, 64, 200_000);
    }

    public int batchSize() {
        return numEnvs * numSteps;
    }

    public PpoConfig withNumEnvs(int n) {
        return new PpoConfig(n, numSteps, learningRate, annealLr, gamma, gaeLambda, numMinibatches, updateEpochs, normAdv,
                clipCoef, clipVloss, entCoef, vfCoef, maxGradNorm, hidden, totalTimesteps);
    }

    public PpoConfig withTotalTimesteps(long total) {
        return new PpoConfig(numEnvs, numSteps, learningRate, annealLr, gamma, gaeLambda, numMinibatches, updateEpochs, normAdv,
                clipCoef, clipVloss, entCoef, vfCoef, maxGradNorm, hidden, total);
    }
}
