package org.sinter.rl.a2c;

/**
 * A2C's hyperparameters (names as in Stable-Baselines3's {@code A2C}). The defaults are
 * Stable-Baselines3's, with the RL Baselines3 Zoo's CartPole-v1 settings (8 environments, no
 * entropy bonus).
 *
 * @param numEnvs parallel environment copies
 * @param numSteps steps per copy per update (an update learns from numEnvs × numSteps transitions)
 * @param learningRate RMSprop's learning rate (constant)
 * @param gamma discount
 * @param gaeLambda λ of generalized advantage estimation (1: plain n-step returns)
 * @param entCoef entropy bonus weight
 * @param vfCoef value loss weight (on the mean squared error, as Stable-Baselines3)
 * @param maxGradNorm global gradient-norm clip
 * @param rmsAlpha RMSprop's smoothing constant
 * @param rmsEps RMSprop's ε
 * @param hidden width of the two hidden layers of the actor and of the critic
 * @param totalTimesteps environment steps to train for at most
 */
public record A2cConfig(int numEnvs, int numSteps, double learningRate, double gamma, double gaeLambda, double entCoef, double vfCoef,
                        double maxGradNorm, double rmsAlpha, double rmsEps, int hidden, long totalTimesteps) {
    public A2cConfig {
        if (numEnvs <= 0 || numSteps <= 0 || hidden <= 0 || totalTimesteps <= 0) {
            throw new IllegalArgumentException("A2cConfig: counts must be positive: " + this);
        }
        if (!(learningRate > 0)) throw new IllegalArgumentException("A2cConfig: learningRate must be positive, got " + learningRate);
    }

    public static A2cConfig cartPole() {
        return new A2cConfig(8, 5, 7e-4, 0.99, 1.0, 0.0, 0.5, 0.5, 0.99, 1e-5, 64, 500_000);
    }

    public int batchSize() {
        return numEnvs * numSteps;
    }

    public A2cConfig withNumEnvs(int n) {
        return new A2cConfig(n, numSteps, learningRate, gamma, gaeLambda, entCoef, vfCoef, maxGradNorm, rmsAlpha, rmsEps, hidden, totalTimesteps);
    }

    public A2cConfig withTotalTimesteps(long total) {
        return new A2cConfig(numEnvs, numSteps, learningRate, gamma, gaeLambda, entCoef, vfCoef, maxGradNorm, rmsAlpha, rmsEps, hidden, total);
    }
}
