package org.sinter.rl;

import java.util.random.RandomGenerator;

/**
 * Sampling from a categorical distribution given its probabilities (a softmax row) by inverse
 * transform: one uniform draw per action, the same draw PPO, A2C and IMPALA's actors make, so
 * that their seeded runs depend on this one order of draws.
 */
public final class Categorical {
    private Categorical() {}

    /** An action drawn with the probabilities {@code probs[offset .. offset + n)}; the last action absorbs rounding. */
    public static int sample(float[] probs, int offset, int n, RandomGenerator random) {
        double u = random.nextDouble(), acc = 0;
        for (int a = 0; a < n - 1; a++) {
            acc += probs[offset + a];
            if (u < acc) return a;
        }
        return n - 1;
    }

    /** An action drawn with the probabilities {@code probs}. */
    public static int sample(float[] probs, RandomGenerator random) {
        return sample(probs, 0, probs.length, random);
    }
}
