package org.sinter.rl.apex;

import org.sinter.rl.StateCodec;
import org.sinter.rl.dqn.Replay;
import org.sinter.rl.dqn.ReplayBuffer;
import org.sinter.rl.dqn.SumTree;

/**
 * One shard of the {@link ReplayServer}: a ring of transitions with a {@link SumTree} of their
 * priorities p^α and the policy version that generated each. Every method holds the shard's lock,
 * so actors adding to one shard do not block the learner sampling from another.
 */
final class ReplayShard {
    private final ReplayBuffer storage;
    private final SumTree tree;
    private final long[] versions;
    private int next;

    ReplayShard(int capacity, int observationSize) {
        storage = new ReplayBuffer(capacity, observationSize);
        tree = new SumTree(capacity);
        versions = new long[capacity];
    }

    /** Stores rows 0..n of {@code rows} with priorities already raised to α. */
    synchronized void add(Replay.Batch rows, double[] priorityAlpha, long version, int observationSize) {
        double[] o = new double[observationSize], no = new double[observationSize];
        for (int j = 0; j < rows.size(); j++) {
            for (int d = 0; d < observationSize; d++) {
                o[d] = rows.observations()[j * observationSize + d];
                no[d] = rows.nextObservations()[j * observationSize + d];
            }
            storage.add(o, (int) rows.actions()[j], rows.rewards()[j], no, rows.terminated()[j] != 0, (int) rows.horizons()[j]);
            tree.set(next, priorityAlpha[j]);
            versions[next] = version;
            next = (next + 1) % tree.capacity();
        }
    }

    synchronized int size() {
        return storage.size();
    }

    synchronized double total() {
        return tree.total();
    }

    /** The smallest stored p^α (+∞ when empty). */
    synchronized double min() {
        return tree.min();
    }

    /** The slot whose prefix interval holds {@code value} (clamped to the filled part). */
    synchronized int find(double value) {
        return Math.min(tree.find(value), storage.size() - 1);
    }

    synchronized double priority(int slot) {
        return tree.get(slot);
    }

    synchronized long version(int slot) {
        return versions[slot];
    }

    synchronized Replay.Batch gather(int[] slots, float[] weights) {
        return storage.gather(slots, weights);
    }

    /** Rows, priorities, versions and write position (under the shard's lock, so consistent even while actors add elsewhere). */
    synchronized void saveState(StateCodec.Writer w) {
        storage.saveState(w);
        tree.saveState(w);
        w.putLongs(versions).putLong(next);
    }

    synchronized void restoreState(StateCodec.Reader r) {
        storage.restoreState(r);
        tree.restoreState(r);
        long[] v = r.getLongs();
        if (v.length != versions.length) throw new IllegalArgumentException("ReplayShard: " + v.length + " saved versions for " + versions.length + " slots");
        System.arraycopy(v, 0, versions, 0, v.length);
        long at = r.getLong();
        if (at < 0 || at >= tree.capacity()) throw new IllegalArgumentException("ReplayShard: saved write position " + at + " outside a capacity of " + tree.capacity());
        next = (int) at;
    }

    synchronized void setPriority(int slot, double priorityAlpha) {
        tree.set(slot, priorityAlpha);
    }
}
