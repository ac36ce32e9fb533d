package org.sinter.rl.dqn;

import java.util.random.RandomGenerator;

/**
 * A fixed-capacity ring buffer of transitions (s, a, r, s', terminated) for off-policy learning;
 * when full, the oldest transition is overwritten. Samples uniformly with replacement, as CleanRL's
 * (Stable-Baselines3's) buffer does.
 */
public final class ReplayBuffer implements Replay {
    private final int capacity, observationSize;
    private final float[] observations, nextObservations, rewards, terminated, horizons;
    private final long[] actions;
    private int next, size;

    public ReplayBuffer(int capacity, int observationSize) {
        if (capacity <= 0) throw new IllegalArgumentException("ReplayBuffer: capacity must be positive, got " + capacity);
        this.capacity = capacity;
        this.observationSize = observationSize;
        observations = new float[capacity * observationSize];
        nextObservations = new float[capacity * observationSize];
        rewards = new float[capacity];
        terminated = new float[capacity];
        horizons = new float[capacity];
        actions = new long[capacity];
    }

    @Override
    public int size() {
        return size;
    }

    /**
     * Stores a transition. {@code terminated} only (not truncation) cuts the bootstrap: a
     * time-limited episode still has value after its last observation.
     */
    public void add(double[] observation, int action, double reward, double[] nextObservation, boolean terminated) {
        add(observation, action, reward, nextObservation, terminated, 1);
    }

    @Override
    public void add(double[] observation, int action, double reward, double[] nextObservation, boolean terminated, int horizon) {
        if (horizon <= 0) throw new IllegalArgumentException("ReplayBuffer: horizon must be positive, got " + horizon);
        if (observation.length != observationSize || nextObservation.length != observationSize) {
            throw new IllegalArgumentException("ReplayBuffer: observations must have " + observationSize + " entries, got "
                    + observation.length + " and " + nextObservation.length);
        }
        for (int d = 0; d < observationSize; d++) {
            observations[next * observationSize + d] = (float) observation[d];
            nextObservations[next * observationSize + d] = (float) nextObservation[d];
        }
        actions[next] = action;
        rewards[next] = (float) reward;
        this.terminated[next] = terminated ? 1f : 0f;
        horizons[next] = horizon;
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    @Override
    public void saveState(org.sinter.rl.StateCodec.Writer w) {
        w.putLong(next).putLong(size);
        w.putFloats(observations, size * observationSize).putFloats(nextObservations, size * observationSize).putLongs(actions, size);
        w.putFloats(rewards, size).putFloats(terminated, size).putFloats(horizons, size);
    }

    @Override
    public void restoreState(org.sinter.rl.StateCodec.Reader r) {
        org.sinter.rl.StateCodec.RingPosition at = r.getRingPosition(capacity, "ReplayBuffer");
        next = at.next();
        size = at.size();
        r.getFloats(observations, "replay observations");
        r.getFloats(nextObservations, "replay next observations");
        r.getLongs(actions, "replay actions");
        r.getFloats(rewards, "replay rewards");
        r.getFloats(terminated, "replay terminations");
        r.getFloats(horizons, "replay horizons");
    }

    public Batch sample(int batchSize, RandomGenerator random) {
        return sample(batchSize, random, 0);
    }

    /** Uniform with replacement; {@code progress} does not matter. */
    @Override
    public Batch sample(int batchSize, RandomGenerator random, double progress) {
        if (size == 0) throw new IllegalStateException("ReplayBuffer: cannot sample from an empty buffer");
        int[] idx = new int[batchSize];
        for (int j = 0; j < batchSize; j++) idx[j] = random.nextInt(size);
        float[] w = new float[batchSize];
        java.util.Arrays.fill(w, 1f);
        return gather(idx, w);
    }

    /** The rows at {@code indices} (each below {@link #size}) with the given importance weights. */
    public Batch gather(int[] indices, float[] weights) {
        int batchSize = indices.length;
        float[] o = new float[batchSize * observationSize], no = new float[batchSize * observationSize];
        float[] r = new float[batchSize], t = new float[batchSize], h = new float[batchSize];
        long[] a = new long[batchSize];
        for (int j = 0; j < batchSize; j++) {
            int k = indices[j];
            System.arraycopy(observations, k * observationSize, o, j * observationSize, observationSize);
            System.arraycopy(nextObservations, k * observationSize, no, j * observationSize, observationSize);
            a[j] = actions[k];
            r[j] = rewards[k];
            t[j] = terminated[k];
            h[j] = horizons[k];
        }
        return new Batch(o, a, r, no, t, h, weights.clone(), indices.clone(), batchSize);
    }
}
