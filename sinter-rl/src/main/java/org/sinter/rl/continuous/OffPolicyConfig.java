package org.sinter.rl.continuous;

/**
 * Hyperparameters of DDPG, TD3 and SAC (names as in CleanRL's {@code ddpg_continuous_action.py},
 * {@code td3_continuous_action.py} and {@code sac_continuous_action.py}); an algorithm ignores the
 * fields it has no use for.
 *
 * @param actorLearningRate Adam's learning rate for the policy (CleanRL's {@code learning_rate} / {@code policy_lr})
 * @param criticLearningRate Adam's learning rate for the Q-networks, and SAC's entropy coefficient ({@code q_lr})
 * @param bufferSize replay capacity
 * @param gamma discount
 * @param tau target-network Polyak rate: target ← τ·online + (1 − τ)·target
 * @param batchSize minibatch size
 * @param learningStarts environment steps of uniformly random actions before the first update
 * @param policyFrequency critic updates per actor update (TD3's delayed actor; SAC runs this many actor updates at once)
 * @param targetNetworkFrequency environment steps between SAC's target updates (DDPG and TD3 update targets with the actor)
 * @param explorationNoise DDPG/TD3 behaviour noise, a Gaussian of this standard deviation times the action scale
 * @param policyNoise TD3's target-policy smoothing noise, times the action scale
 * @param noiseClip TD3's clip on the smoothing noise (before scaling)
 * @param alpha SAC's entropy coefficient (the initial one, when tuned)
 * @param autotune SAC: tune α to a target entropy of −dim(A)
 * @param hidden widths of the hidden layers of every network
 * @param totalTimesteps environment steps to train for at most
 */
public record OffPolicyConfig(double actorLearningRate, double criticLearningRate, int bufferSize, double gamma, double tau, int batchSize,
                              int learningStarts, int policyFrequency, int targetNetworkFrequency, double explorationNoise,
                              double policyNoise, double noiseClip, double alpha, boolean autotune, int[] hidden, long totalTimesteps) {
    public OffPolicyConfig {
        if (bufferSize <= 0 || batchSize <= 0 || policyFrequency <= 0 || targetNetworkFrequency <= 0 || totalTimesteps <= 0 || learningStarts < 0) {
            throw new IllegalArgumentException("OffPolicyConfig: counts must be positive (learningStarts non-negative)");
        }
        if (tau <= 0 || tau > 1) throw new IllegalArgumentException("OffPolicyConfig: tau must lie in (0, 1], got " + tau);
        if (hidden.length == 0) throw new IllegalArgumentException("OffPolicyConfig: needs at least one hidden layer");
        hidden = hidden.clone();
    }

    /** CleanRL's DDPG defaults (lr 3e-4, τ 0.005, batch 256, noise 0.1, actor every 2 steps, 25,000 random steps, 256-256). */
    public static OffPolicyConfig ddpg() {
        return new OffPolicyConfig(3e-4, 3e-4, 1_000_000, 0.99, 0.005, 256, 25_000, 2, 1, 0.1, 0.2, 0.5, 0.2, false, new int[] {256, 256}, 1_000_000);
    }

    /** CleanRL's TD3 defaults: DDPG's plus smoothing noise 0.2 clipped at 0.5. */
    public static OffPolicyConfig td3() {
        return ddpg();
    }

    /** CleanRL's SAC defaults (policy lr 3e-4, q lr 1e-3, α 0.2 tuned, 5,000 random steps, targets every step). */
    public static OffPolicyConfig sac() {
        return new OffPolicyConfig(3e-4, 1e-3, 1_000_000, 0.99, 0.005, 256, 5_000, 2, 1, 0.1, 0.2, 0.5, 0.2, true, new int[] {256, 256}, 1_000_000);
    }

    /** The defaults of {@code algorithm} ("ddpg", "td3" or "sac"). */
    public static OffPolicyConfig defaults(String algorithm) {
        return switch (algorithm) {
            case "ddpg" -> ddpg();
            case "td3" -> td3();
            case "sac" -> sac();
            default -> throw new IllegalArgumentException("OffPolicyConfig: no continuous-control algorithm '" + algorithm + "'; known: ddpg, td3, sac");
        };
    }

    /**
     * The settings the Pendulum-v1 bars are measured with: CleanRL's, with fewer random steps at the
     * start (1,000: CleanRL's 25,000 alone exceed the 20,000-step budget), a 100,000-transition buffer
     * (longer than any run here, so nothing is overwritten, as with CleanRL's million) and 64-64 hidden
     * layers instead of 256-256 (Pendulum has 3 inputs and 1 action; a quarter of the width is about a
     * tenth of the arithmetic on a 2-core CPU).
     */
    public static OffPolicyConfig pendulum(String algorithm) {
        OffPolicyConfig c = defaults(algorithm);
        return new OffPolicyConfig(c.actorLearningRate, c.criticLearningRate, 100_000, c.gamma, c.tau, c.batchSize, 1_000, c.policyFrequency,
                c.targetNetworkFrequency, c.explorationNoise, c.policyNoise, c.noiseClip, c.alpha, c.autotune, new int[] {64, 64}, 50_000);
    }

    public OffPolicyConfig withTotalTimesteps(long total) {
        return new OffPolicyConfig(actorLearningRate, criticLearningRate, bufferSize, gamma, tau, batchSize, learningStarts, policyFrequency,
                targetNetworkFrequency, explorationNoise, policyNoise, noiseClip, alpha, autotune, hidden, total);
    }

    public OffPolicyConfig withLearningStarts(int steps) {
        return new OffPolicyConfig(actorLearningRate, criticLearningRate, bufferSize, gamma, tau, batchSize, steps, policyFrequency,
                targetNetworkFrequency, explorationNoise, policyNoise, noiseClip, alpha, autotune, hidden, totalTimesteps);
    }

    public OffPolicyConfig withHidden(int... widths) {
        return new OffPolicyConfig(actorLearningRate, criticLearningRate, bufferSize, gamma, tau, batchSize, learningStarts, policyFrequency,
                targetNetworkFrequency, explorationNoise, policyNoise, noiseClip, alpha, autotune, widths, totalTimesteps);
    }

    public OffPolicyConfig withBatchSize(int size) {
        return new OffPolicyConfig(actorLearningRate, criticLearningRate, bufferSize, gamma, tau, size, learningStarts, policyFrequency,
                targetNetworkFrequency, explorationNoise, policyNoise, noiseClip, alpha, autotune, hidden, totalTimesteps);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }
}
