package org.sinter.rl.dqn;

/**
 * DQN's hyperparameters (names as in CleanRL's {@code dqn.py}).
 *
 * @param learningRate Adam's learning rate
 * @param bufferSize replay capacity
 * @param gamma discount
 * @param tau target-network update rate (1 = hard copy)
 * @param targetNetworkFrequency environment steps between target updates
 * @param batchSize minibatch size
 * @param startE ε at the start
 * @param endE ε after the decay
 * @param explorationFraction fraction of {@code totalTimesteps} over which ε decays linearly
 * @param learningStarts environment steps before the first update
 * @param trainFrequency environment steps between updates
 * @param doubleDqn pick the next action with the online network, evaluate it with the target (van Hasselt et al. 2016)
 * @param hidden widths of the two hidden layers
 * @param totalTimesteps environment steps to train for at most
 * @param variants dueling head, n-step returns, prioritized replay ({@link DqnVariants#NONE}: none)
 */
public record DqnConfig(double learningRate, int bufferSize, double gamma, double tau, int targetNetworkFrequency, int batchSize,
                        double startE, double endE, double explorationFraction, int learningStarts, int trainFrequency,
                        boolean doubleDqn, int[] hidden, long totalTimesteps, DqnVariants variants) {
    public DqnConfig {
        if (bufferSize <= 0 || batchSize <= 0 || trainFrequency <= 0 || targetNetworkFrequency <= 0 || totalTimesteps <= 0) {
            throw new IllegalArgumentException("DqnConfig: counts must be positive");
        }
        if (tau <= 0 || tau > 1) throw new IllegalArgumentException("DqnConfig: tau must lie in (0, 1], got " + tau);
        hidden = hidden.clone();
        java.util.Objects.requireNonNull(variants, "DqnConfig: variants");
    }

    /** CleanRL's CartPole settings, with double DQN on. */
    public static DqnConfig cartPole() {
        return new DqnConfig(2.5e-4, 10_000, 0.99, 1.0, 500, 128, 1.0, 0.05, 0.5, 10_000, 10, true, new int[] {120, 84}, 200_000, DqnVariants.NONE);
    }

    public DqnConfig withTotalTimesteps(long total) {
        return new DqnConfig(learningRate, bufferSize, gamma, tau, targetNetworkFrequency, batchSize, startE, endE, explorationFraction,
                learningStarts, trainFrequency, doubleDqn, hidden, total, variants);
    }

    public DqnConfig withLearningStarts(int steps) {
        return new DqnConfig(learningRate, bufferSize, gamma, tau, targetNetworkFrequency, batchSize, startE, endE, explorationFraction,
                steps, trainFrequency, doubleDqn, hidden, totalTimesteps, variants);
    }

    public DqnConfig withVariants(DqnVariants v) {
        return new DqnConfig(learningRate, bufferSize, gamma, tau, targetNetworkFrequency, batchSize, startE, endE, explorationFraction,
                learningStarts, trainFrequency, doubleDqn, hidden, totalTimesteps, v);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** ε after {@code step} environment steps: linear from startE to endE, then flat. */
    public double epsilon(long step) {
        double duration = explorationFraction * totalTimesteps;
        double slope = (endE - startE) / duration;
        return Math.max(slope * step + startE, endE);
    }
}
