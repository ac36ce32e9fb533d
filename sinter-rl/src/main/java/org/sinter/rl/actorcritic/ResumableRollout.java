package org.sinter.rl.actorcritic;

import java.util.random.RandomGenerator;
import org.sinter.rl.StateCodec;

/** A vectorized rollout that PPO drives and that can save and restore its exact state between updates. */
public interface ResumableRollout extends AutoCloseable {
    /** Starts the environment copies afresh (seeded). */
    void reset();

    /** Environment steps taken over all copies. */
    long steps();

    String envId();

    /** The sampling stream (replaced when a state is restored: ask again after {@link #restoreState}). */
    RandomGenerator random();

    void saveState(StateCodec.Writer w);

    /** Restores what {@link #saveState} wrote, in place of {@link #reset}. */
    void restoreState(StateCodec.Reader r);

    /** Stops what the environment copies run on (threads, processes). */
    @Override
    void close();
}
