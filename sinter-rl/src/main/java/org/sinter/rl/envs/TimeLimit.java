package org.sinter.rl.envs;

import org.sinter.rl.Env;
import org.sinter.rl.ResetResult;
import org.sinter.rl.StepResult;
import org.sinter.rl.spaces.Space;

/**
 * Gymnasium's {@code TimeLimit} wrapper: the step that reaches {@code maxEpisodeSteps} reports
 * {@code truncated = true} (also when it terminates, as Gymnasium does), and stepping further
 * without a reset is an error.
 */
public final class TimeLimit<O, A> implements Env<O, A>, org.sinter.rl.Snapshottable {
    private final Env<O, A> env;
    private final int maxEpisodeSteps;
    private int elapsedSteps = -1;

    public TimeLimit(Env<O, A> env, int maxEpisodeSteps) {
        if (maxEpisodeSteps <= 0) throw new IllegalArgumentException("TimeLimit: maxEpisodeSteps must be positive, got " + maxEpisodeSteps);
        this.env = env;
        this.maxEpisodeSteps = maxEpisodeSteps;
    }

    public Env<O, A> unwrapped() {
        return env;
    }

    public int maxEpisodeSteps() {
        return maxEpisodeSteps;
    }

    public int elapsedSteps() {
        return Math.max(elapsedSteps, 0);
    }

    @Override
    public String id() {
        return env.id();
    }

    @Override
    public Space<O> observationSpace() {
        return env.observationSpace();
    }

    @Override
    public Space<A> actionSpace() {
        return env.actionSpace();
    }

    @Override
    public ResetResult<O> reset(long seed) {
        elapsedSteps = 0;
        return env.reset(seed);
    }

    @Override
    public ResetResult<O> reset() {
        elapsedSteps = 0;
        return env.reset();
    }

    @Override
    public StepResult<O> step(A action) {
        if (elapsedSteps < 0 || elapsedSteps >= maxEpisodeSteps) {
            throw new IllegalStateException(id() + ": step called after the " + maxEpisodeSteps + "-step time limit (or before reset); call reset first");
        }
        StepResult<O> r = env.step(action);
        elapsedSteps++;
        if (elapsedSteps >= maxEpisodeSteps) {
            return new StepResult<>(r.observation(), r.reward(), r.terminated(), true, r.info());
        }
        return r;
    }

    /** [elapsed steps, the wrapped environment's snapshot…]. */
    @Override
    public long[] snapshot() {
        long[] inner = org.sinter.rl.Snapshottable.of(env, id());
        long[] out = new long[inner.length + 1];
        out[0] = elapsedSteps;
        System.arraycopy(inner, 0, out, 1, inner.length);
        return out;
    }

    @Override
    public void restore(long[] state) {
        if (state.length < 1) throw new IllegalArgumentException(id() + ": an empty saved state");
        elapsedSteps = (int) state[0];
        org.sinter.rl.Snapshottable.restore(env, java.util.Arrays.copyOfRange(state, 1, state.length), id());
    }
}
