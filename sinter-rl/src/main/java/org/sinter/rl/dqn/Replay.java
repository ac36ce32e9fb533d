package org.sinter.rl.dqn;

import java.util.random.RandomGenerator;

/** A DQN replay memory: uniform ({@link ReplayBuffer}) or prioritized ({@link PrioritizedReplayBuffer}). */
public interface Replay {
    /**
     * A sampled minibatch, row j being one transition whose target bootstraps after {@code horizons[j]}
     * steps (1, or up to n for n-step returns, whose reward is then the discounted n-step sum);
     * {@code weights} are the importance weights (all 1 when uniform) and {@code indices} the slots
     * the rows came from (for priority updates).
     */
    record Batch(float[] observations, long[] actions, float[] rewards, float[] nextObservations, float[] terminated, float[] horizons,
                 float[] weights, int[] indices, int size) {}

    /** Stores a transition; {@code terminated} (not truncation) cuts the bootstrap. */
    void add(double[] observation, int action, double reward, double[] nextObservation, boolean terminated, int horizon);

    /** A minibatch; {@code progress} in [0, 1] is the fraction of training done (prioritized replay anneals β with it). */
    Batch sample(int batchSize, RandomGenerator random, double progress);

    /** New priorities from the TD errors of the rows just learned from (nothing for uniform replay). */
    default void updatePriorities(int[] indices, double[] tdErrors) {}

    int size();

    /** Writes the stored rows and position (a resumed run samples the same rows). */
    default void saveState(org.sinter.rl.StateCodec.Writer w) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot save its state");
    }

    /** Restores what {@link #saveState} wrote, into a buffer of the same capacity. */
    default void restoreState(org.sinter.rl.StateCodec.Reader r) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot restore its state");
    }
}
