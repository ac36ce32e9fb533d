package org.sinter.rl.dqn;

import java.util.random.RandomGenerator;

/**
 * Proportional prioritized experience replay (Schaul et al. 2016): transition i is sampled with
 * probability P(i) = p_i^α / Σ_k p_k^α, stratified (one draw from each of {@code batchSize} equal
 * slices of the total), and weighted by w_i = (N·P(i))^−β / max_k w_k, the maximum taken over the
 * whole buffer (from the smallest priority, as OpenAI Baselines does); β anneals linearly from
 * β₀ to 1 over training. New transitions get the largest priority seen so far; learned ones get
 * |δ| + ε. The priorities live in a {@link SumTree}; the transitions in a {@link ReplayBuffer}-like ring.
 */
public final class PrioritizedReplayBuffer implements Replay {
    private final ReplayBuffer storage;
    private final SumTree tree;
    private final double alpha, beta0, epsilon;
    private double maxPriority = 1.0;
    private int next;

    public PrioritizedReplayBuffer(int capacity, int observationSize, double alpha, double beta0, double epsilon) {
        if (!(alpha >= 0)) throw new IllegalArgumentException("PrioritizedReplayBuffer: alpha must be non-negative, got " + alpha);
        if (!(beta0 >= 0 && beta0 <= 1)) throw new IllegalArgumentException("PrioritizedReplayBuffer: beta0 must lie in [0, 1], got " + beta0);
        if (!(epsilon > 0)) throw new IllegalArgumentException("PrioritizedReplayBuffer: epsilon must be positive, got " + epsilon);
        this.storage = new ReplayBuffer(capacity, observationSize);
        this.tree = new SumTree(capacity);
        this.alpha = alpha;
        this.beta0 = beta0;
        this.epsilon = epsilon;
    }

    @Override
    public int size() {
        return storage.size();
    }

    @Override
    public void add(double[] observation, int action, double reward, double[] nextObservation, boolean terminated, int horizon) {
        storage.add(observation, action, reward, nextObservation, terminated, horizon);
        tree.set(next, Math.pow(maxPriority, alpha));
        next = (next + 1) % tree.capacity();
    }

    @Override
    public void saveState(org.sinter.rl.StateCodec.Writer w) {
        storage.saveState(w);
        tree.saveState(w);
        w.putDouble(maxPriority).putLong(next);
    }

    @Override
    public void restoreState(org.sinter.rl.StateCodec.Reader r) {
        storage.restoreState(r);
        tree.restoreState(r);
        maxPriority = r.getDouble();
        next = (int) r.getLong();
    }

    /** β after a fraction {@code progress} of training. */
    public double beta(double progress) {
        return beta0 + Math.min(1, Math.max(0, progress)) * (1 - beta0);
    }

    @Override
    public Batch sample(int batchSize, RandomGenerator random, double progress) {
        double[] uniforms = new double[batchSize];
        for (int j = 0; j < batchSize; j++) uniforms[j] = random.nextDouble();
        return sample(uniforms, beta(progress));
    }

    /** The stratified draw for given uniforms u_j ∈ [0, 1): slot find((j + u_j)·total / batchSize), with weights at {@code beta}. */
    public Batch sample(double[] uniforms, double beta) {
        if (size() == 0) throw new IllegalStateException("PrioritizedReplayBuffer: cannot sample from an empty buffer");
        int batchSize = uniforms.length;
        double total = tree.total(), segment = total / batchSize;
        int[] idx = new int[batchSize];
        float[] w = new float[batchSize];
        double maxWeight = Math.pow(size() * tree.min() / total, -beta);
        for (int j = 0; j < batchSize; j++) {
            int i = Math.min(tree.find((j + uniforms[j]) * segment), size() - 1);
            idx[j] = i;
            w[j] = (float) (Math.pow(size() * tree.get(i) / total, -beta) / maxWeight);
        }
        return storage.gather(idx, w);
    }

    @Override
    public void updatePriorities(int[] indices, double[] tdErrors) {
        for (int j = 0; j < indices.length; j++) {
            double p = Math.abs(tdErrors[j]) + epsilon;
            maxPriority = Math.max(maxPriority, p);
            tree.set(indices[j], Math.pow(p, alpha));
        }
    }

    /** The sampling probability of slot i now. */
    public double probability(int i) {
        return tree.get(i) / tree.total();
    }
}
