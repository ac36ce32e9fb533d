package org.sinter.rl;

import org.sinter.rl.spaces.Space;

/**
 * An environment with Gymnasium's semantics: {@link #reset(long)} seeds the environment's random
 * stream and starts an episode, {@link #reset()} starts one from the stream as it stands, and
 * {@link #step} advances one step. An episode ends when a step reports {@code terminated} (the
 * MDP reached a terminal state) or {@code truncated} (stopped from outside, e.g. by
 * {@link org.sinter.rl.envs.TimeLimit}); stepping an ended episode is an error until the next reset.
 *
 * @param <O> the observation type
 * @param <A> the action type
 */
public interface Env<O, A> {
    /** Gymnasium's id, e.g. {@code CartPole-v1}. */
    String id();

    Space<O> observationSpace();

    Space<A> actionSpace();

    /** Re-seeds the environment's random stream with {@code seed} and starts an episode. */
    ResetResult<O> reset(long seed);

    /** Starts an episode drawing from the current random stream (seeded from entropy if never seeded). */
    ResetResult<O> reset();

    StepResult<O> step(A action);
}
