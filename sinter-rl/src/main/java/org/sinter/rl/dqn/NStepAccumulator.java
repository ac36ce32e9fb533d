package org.sinter.rl.dqn;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns one-step transitions into n-step ones (Sutton 1988; Rainbow's multi-step targets): the
 * transition from s_t stores R = Σ_{k<m} γ^k r_{t+k}, the observation m steps later and m, with
 * m = n in mid-episode. When an episode ends every pending start is flushed with the steps left
 * (m < n): after termination the bootstrap is cut; after truncation the target still bootstraps,
 * from the final observation with γ^m.
 */
public final class NStepAccumulator {
    private record Step(double[] observation, int action, double reward) {}

    private final int n;
    private final double gamma;
    private final Replay replay;
    private final Deque<Step> pending = new ArrayDeque<>();

    public NStepAccumulator(int n, double gamma, Replay replay) {
        if (n <= 0) throw new IllegalArgumentException("NStepAccumulator: n must be positive, got " + n);
        this.n = n;
        this.gamma = gamma;
        this.replay = replay;
    }

    /** Records the step (s, a, r) → s'; {@code done} when the episode ended at it (terminated or truncated). */
    public void add(double[] observation, int action, double reward, double[] nextObservation, boolean terminated, boolean done) {
        pending.addLast(new Step(observation, action, reward));
        if (done) {
            while (!pending.isEmpty()) emit(nextObservation, terminated);
        } else if (pending.size() == n) {
            emit(nextObservation, false);
        }
    }

    /** The starts still waiting for their n steps. */
    public void saveState(org.sinter.rl.StateCodec.Writer w) {
        w.putLong(pending.size());
        for (Step s : pending) w.putDoubles(s.observation()).putLong(s.action()).putDouble(s.reward());
    }

    public void restoreState(org.sinter.rl.StateCodec.Reader r) {
        long k = r.getLong();
        if (k < 0 || k > n) throw new IllegalArgumentException("NStepAccumulator: " + k + " saved pending steps, more than n = " + n);
        pending.clear();
        for (long i = 0; i < k; i++) pending.addLast(new Step(r.getDoubles(), (int) r.getLong(), r.getDouble()));
    }

    /** Stores the transition from the oldest pending start to {@code nextObservation} and drops that start. */
    private void emit(double[] nextObservation, boolean terminated) {
        double ret = 0, discount = 1;
        for (Step s : pending) {
            ret += discount * s.reward();
            discount *= gamma;
        }
        Step first = pending.removeFirst();
        replay.add(first.observation(), first.action(), ret, nextObservation, terminated, pending.size() + 1);
    }
}
