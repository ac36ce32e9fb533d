package org.sinter.rl.continuous;

import java.util.random.RandomGenerator;

/**
 * A fixed-capacity ring buffer of transitions (s, a, r, s', terminated) with real-valued action
 * vectors, for DDPG, TD3 and SAC; when full, the oldest transition is overwritten. Samples
 * uniformly with replacement, as CleanRL's (Stable-Baselines3's) buffer does. Stored as float32
 * rows so that a sampled minibatch becomes tensors without conversion.
 */
public final class ContinuousReplayBuffer {
    /** A sampled minibatch, row i being one transition; arrays are row-major (size × width). */
    public record Batch(float[] observations, float[] actions, float[] rewards, float[] nextObservations, float[] terminated, int size) {}

    private final int capacity, observationSize, actionSize;
    private final float[] observations, nextObservations, actions, rewards, terminated;
    private int next, size;

    public ContinuousReplayBuffer(int capacity, int observationSize, int actionSize) {
        if (capacity <= 0) throw new IllegalArgumentException("ContinuousReplayBuffer: capacity must be positive, got " + capacity);
        if (observationSize <= 0 || actionSize <= 0) {
            throw new IllegalArgumentException("ContinuousReplayBuffer: observation and action sizes must be positive, got "
                    + observationSize + " and " + actionSize);
        }
        this.capacity = capacity;
        this.observationSize = observationSize;
        this.actionSize = actionSize;
        observations = new float[capacity * observationSize];
        nextObservations = new float[capacity * observationSize];
        actions = new float[capacity * actionSize];
        rewards = new float[capacity];
        terminated = new float[capacity];
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Stores a transition. Only {@code terminated} (not time-limit truncation) cuts the bootstrap:
     * a truncated episode still has value after its last observation.
     */
    public void add(double[] observation, double[] action, double reward, double[] nextObservation, boolean terminated) {
        if (observation.length != observationSize || nextObservation.length != observationSize) {
            throw new IllegalArgumentException("ContinuousReplayBuffer: observations must have " + observationSize + " entries, got "
                    + observation.length + " and " + nextObservation.length);
        }
        if (action.length != actionSize) {
            throw new IllegalArgumentException("ContinuousReplayBuffer: actions must have " + actionSize + " entries, got " + action.length);
        }
        for (int d = 0; d < observationSize; d++) {
            observations[next * observationSize + d] = (float) observation[d];
            nextObservations[next * observationSize + d] = (float) nextObservation[d];
        }
        for (int d = 0; d < actionSize; d++) actions[next * actionSize + d] = (float) action[d];
        rewards[next] = (float) reward;
        this.terminated[next] = terminated ? 1f : 0f;
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    /** Writes the stored rows and position (a resumed run samples the same rows). */
    public void saveState(org.sinter.rl.StateCodec.Writer w) {
        w.putLong(next).putLong(size);
        w.putFloats(observations, size * observationSize).putFloats(nextObservations, size * observationSize).putFloats(actions, size * actionSize);
        w.putFloats(rewards, size).putFloats(terminated, size);
    }

    /** Restores what {@link #saveState} wrote, into a buffer of the same capacity and shapes. */
    public void restoreState(org.sinter.rl.StateCodec.Reader r) {
        org.sinter.rl.StateCodec.RingPosition at = r.getRingPosition(capacity, "ContinuousReplayBuffer");
        next = at.next();
        size = at.size();
        r.getFloats(observations, "replay observations");
        r.getFloats(nextObservations, "replay next observations");
        r.getFloats(actions, "replay actions");
        r.getFloats(rewards, "replay rewards");
        r.getFloats(terminated, "replay terminations");
    }

    public Batch sample(int batchSize, RandomGenerator random) {
        if (size == 0) throw new IllegalStateException("ContinuousReplayBuffer: cannot sample from an empty buffer");
        if (batchSize <= 0) throw new IllegalArgumentException("ContinuousReplayBuffer: batch size must be positive, got " + batchSize);
        float[] o = new float[batchSize * observationSize], no = new float[batchSize * observationSize];
        float[] a = new float[batchSize * actionSize], r = new float[batchSize], t = new float[batchSize];
        for (int j = 0; j < batchSize; j++) {
            int k = random.nextInt(size);
            System.arraycopy(observations, k * observationSize, o, j * observationSize, observationSize);
            System.arraycopy(nextObservations, k * observationSize, no, j * observationSize, observationSize);
            System.arraycopy(actions, k * actionSize, a, j * actionSize, actionSize);
            r[j] = rewards[k];
            t[j] = terminated[k];
        }
        return new Batch(o, a, r, no, t, batchSize);
    }
}
