package org.sinter.rl.vector;

import java.util.List;
import org.sinter.rl.Env;

/**
 * N copies of an environment stepped together with same-step auto-reset ({@link VectorStep});
 * {@code reset(seed)} seeds copy i with {@code seed + i}. {@link SyncVectorEnv} steps them in the
 * calling thread, {@link AsyncVectorEnv} on a thread each, {@link ProcessVectorEnv} each in a
 * process of its own; a seeded trajectory is the same in all three.
 */
public interface VectorEnv<O, A> extends AutoCloseable {
    int numEnvs();

    /** Copy i (its id and spaces). */
    Env<O, A> env(int i);

    List<O> reset(long seed);

    VectorStep<O> step(List<A> actions);

    /** Every copy's exact state, for a resumable run; copies that cannot be captured are refused naming the environment. */
    List<long[]> snapshot();

    void restore(List<long[]> states);

    /** Stops what the copies run on (threads, processes); nothing for {@link SyncVectorEnv}. */
    @Override
    default void close() {}
}
