package org.sinter.rl.apex;

import java.util.concurrent.atomic.AtomicInteger;
import org.sinter.rl.dqn.Replay;

/**
 * Ape-X's replay: prioritized experience replay split into shards, each with its own lock, so that
 * many actors can add while the learner samples. Actors send rows with the priorities they computed
 * (|δ| + ε, raised to α here): new rows do not start at the largest priority, as Ape-X's actors
 * score their own experience. Chunks go to the shards in turn.
 *
 * <p>Sampling is the proportional, stratified draw of one buffer over the shards laid end to end:
 * the total of all shards is cut into {@code batchSize} equal slices, one uniform per slice picks
 * a point, and the shard holding that point finds the row, so P(i) = p_i^α / Σ_all p^α and
 * w_i = (N·P(i))^−β / max w, N and the largest weight (from the smallest priority) taken over all
 * shards. With one shard this is exactly {@link org.sinter.rl.dqn.PrioritizedReplayBuffer}'s draw.
 * The totals are read once per batch; a row an actor overwrites between the draw and the learner's
 * priority update gets the update (a race Ape-X accepts too).
 */
public final class ReplayServer implements ApexReplay {
    /** A sampled minibatch with where each row came from and the policy version that generated it. */
    public record Sample(Replay.Batch batch, int[] shards, int[] slots, long[] versions) {}

    private final ReplayShard[] shards;
    private final int observationSize;
    private final double alpha, epsilon;
    private final AtomicInteger nextShard = new AtomicInteger();

    public ReplayServer(int numShards, int capacity, int observationSize, double alpha, double epsilon) {
        if (numShards <= 0 || capacity < numShards) {
            throw new IllegalArgumentException("ReplayServer: needs at least one shard and one slot per shard, got " + numShards + " shards, capacity " + capacity);
        }
        this.shards = new ReplayShard[numShards];
        for (int k = 0; k < numShards; k++) shards[k] = new ReplayShard(capacity / numShards + (k < capacity % numShards ? 1 : 0), observationSize);
        this.observationSize = observationSize;
        this.alpha = alpha;
        this.epsilon = epsilon;
    }

    @Override
    public int numShards() {
        return shards.length;
    }

    @Override
    public int size() {
        int n = 0;
        for (ReplayShard s : shards) n += s.size();
        return n;
    }

    /** Rows stored in shard {@code k}. */
    public int size(int k) {
        return shards[k].size();
    }

    @Override
    public int add(Replay.Batch rows, double[] tdErrors, long version) {
        if (tdErrors.length != rows.size()) {
            throw new IllegalArgumentException("ReplayServer.add: " + tdErrors.length + " TD errors for " + rows.size() + " rows");
        }
        if (rows.observations().length != rows.size() * observationSize || rows.nextObservations().length != rows.size() * observationSize) {
            throw new IllegalArgumentException("ReplayServer.add: " + rows.size() + " rows of " + observationSize + " observation values need "
                    + rows.size() * observationSize + ", got " + rows.observations().length + " and " + rows.nextObservations().length);
        }
        double[] p = new double[tdErrors.length];
        for (int j = 0; j < p.length; j++) p[j] = priority(tdErrors[j]);
        int k = Math.floorMod(nextShard.getAndIncrement(), shards.length);
        shards[k].add(rows, p, version, observationSize);
        return k;
    }

    private double priority(double tdError) {
        return Math.pow(Math.abs(tdError) + epsilon, alpha);
    }

    /** The stratified draw for given uniforms: row j at point (j + u_j)·total/B of the shards laid end to end. */
    @Override
    public Sample sample(double[] uniforms, double beta) {
        int b = uniforms.length, k = shards.length;
        if (b == 0) throw new IllegalArgumentException("ReplayServer.sample: a batch needs at least one row");
        for (int j = 0; j < b; j++) {
            if (!(uniforms[j] >= 0 && uniforms[j] <= 1)) throw new IllegalArgumentException("ReplayServer.sample: uniform " + j + " is " + uniforms[j] + ", outside [0, 1]");
        }
        double[] totals = new double[k];
        double grand = 0, min = Double.POSITIVE_INFINITY;
        int n = 0;
        for (int s = 0; s < k; s++) {
            totals[s] = shards[s].total();
            grand += totals[s];
            min = Math.min(min, shards[s].min());
            n += shards[s].size();
        }
        if (n == 0 || !(grand > 0)) throw new IllegalStateException("ReplayServer: cannot sample from an empty replay");
        double maxWeight = Math.pow(n * min / grand, -beta);
        int[] shardOf = new int[b], slots = new int[b];
        long[] versions = new long[b];
        float[] weights = new float[b];
        double segment = grand / b;
        for (int j = 0; j < b; j++) {
            double point = (j + uniforms[j]) * segment;
            int s = 0;
            while (s < k - 1 && (point >= totals[s] || totals[s] == 0)) {
                point -= totals[s];
                s++;
            }
            int slot = shards[s].find(point);
            shardOf[j] = s;
            slots[j] = slot;
            versions[j] = shards[s].version(slot);
            weights[j] = (float) (Math.pow(n * shards[s].priority(slot) / grand, -beta) / maxWeight);
        }
        return new Sample(gather(shardOf, slots, weights), shardOf, slots, versions);
    }

    /** The rows, shard by shard, put back in draw order. */
    private Replay.Batch gather(int[] shardOf, int[] slots, float[] weights) {
        int b = slots.length, d = observationSize;
        float[] o = new float[b * d], no = new float[b * d], r = new float[b], t = new float[b], h = new float[b];
        long[] a = new long[b];
        for (int s = 0; s < shards.length; s++) {
            int count = 0;
            for (int sh : shardOf) if (sh == s) count++;
            if (count == 0) continue;
            int[] rows = new int[count], mine = new int[count];
            for (int j = 0, c = 0; j < b; j++) if (shardOf[j] == s) { rows[c] = j; mine[c++] = slots[j]; }
            Replay.Batch part = shards[s].gather(mine, new float[count]);
            for (int c = 0; c < count; c++) {
                int j = rows[c];
                System.arraycopy(part.observations(), c * d, o, j * d, d);
                System.arraycopy(part.nextObservations(), c * d, no, j * d, d);
                a[j] = part.actions()[c];
                r[j] = part.rewards()[c];
                t[j] = part.terminated()[c];
                h[j] = part.horizons()[c];
            }
        }
        return new Replay.Batch(o, a, r, no, t, h, weights, slots.clone(), b);
    }

    /** New priorities (|δ| + ε)^α for the rows of {@code sample}. */
    @Override
    public void updatePriorities(Sample sample, double[] tdErrors) {
        if (tdErrors.length != sample.slots().length) {
            throw new IllegalArgumentException("ReplayServer.updatePriorities: " + tdErrors.length + " TD errors for " + sample.slots().length + " sampled rows");
        }
        for (int j = 0; j < tdErrors.length; j++) {
            int k = sample.shards()[j], slot = sample.slots()[j];
            if (k < 0 || k >= shards.length || slot < 0 || slot >= shards[k].size()) {
                throw new IllegalArgumentException("ReplayServer.updatePriorities: row " + j + " names shard " + k + " slot " + slot + ", which holds no row");
            }
        }
        for (int j = 0; j < tdErrors.length; j++) shards[sample.shards()[j]].setPriority(sample.slots()[j], priority(tdErrors[j]));
    }

    /** Every shard's rows, priorities and versions and which shard the next chunk goes to, for a resumable run. */
    public void saveState(org.sinter.rl.StateCodec.Writer w) {
        w.putLong(shards.length).putLong(nextShard.get());
        for (ReplayShard s : shards) s.saveState(w);
    }

    /** Restores {@link #saveState} into a replay of the same shards and capacity. */
    public void restoreState(org.sinter.rl.StateCodec.Reader r) {
        long k = r.getLong();
        if (k != shards.length) throw new IllegalArgumentException("ReplayServer: a saved replay of " + k + " shards, this one has " + shards.length);
        nextShard.set((int) r.getLong());
        for (ReplayShard s : shards) s.restoreState(r);
    }

    /** The sampling probability of shard {@code k}'s slot now (for tests). */
    public double probability(int k, int slot) {
        double grand = 0;
        for (ReplayShard s : shards) grand += s.total();
        return shards[k].priority(slot) / grand;
    }
}
