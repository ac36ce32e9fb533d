package org.sinter.learned.index.update;

import java.util.function.Function;
import org.sinter.learned.index.Search;
import org.sinter.learned.index.SortedLongIndex;

/**
 * An updatable learned index by the delta-buffer design (the PGM-index's and early ALEX
 * comparisons' baseline): a read-only learned index over a sorted main array, and inserts going to
 * a small B+-tree beside it. When the buffer reaches {@code mergeFraction} of the main array, the
 * two are merged into a new sorted array and the model is retrained on it, so each key is copied
 * O(1 / mergeFraction) times over its life while lookups stay mostly on the learned path.
 *
 * <p>A lookup asks the learned index first (nearly all keys live there) and the buffer only on a
 * miss.
 */
public final class DeltaLearnedIndex implements UpdatableLongIndex {
    private final Function<long[], SortedLongIndex> builder;
    private final double mergeFraction;
    private final int minBuffer;
    private long[] main;
    private SortedLongIndex index;
    private BPlusTree buffer = new BPlusTree();
    private int merges;
    private long mergeNanos;

    /**
     * @param sorted        the initial keys, sorted (kept, not copied)
     * @param builder       builds the learned index over a sorted array (e.g. {@code k -> new PgmIndex(k, 64)})
     * @param mergeFraction the buffer size, as a fraction of the main array, that triggers a merge
     * @param minBuffer     the buffer size below which no merge happens (small indexes)
     */
    public DeltaLearnedIndex(long[] sorted, Function<long[], SortedLongIndex> builder, double mergeFraction, int minBuffer) {
        if (!(mergeFraction > 0)) throw new IllegalArgumentException("DeltaLearnedIndex: mergeFraction must be > 0, got " + mergeFraction);
        if (minBuffer < 1) throw new IllegalArgumentException("DeltaLearnedIndex: minBuffer must be >= 1, got " + minBuffer);
        Search.requireSorted(sorted, "DeltaLearnedIndex");
        this.builder = builder;
        this.mergeFraction = mergeFraction;
        this.minBuffer = minBuffer;
        this.main = sorted;
        this.index = builder.apply(sorted);
    }

    @Override public String name() { return "delta + " + index.name(); }
    @Override public long size() { return main.length + buffer.size(); }

    @Override
    public boolean contains(long key) {
        return index.contains(key) || (buffer.size() > 0 && buffer.contains(key));
    }

    @Override
    public void insert(long key) {
        buffer.insert(key);
        if (buffer.size() >= Math.max(minBuffer, (long) (mergeFraction * main.length))) merge();
    }

    /** Merges the buffer into a new main array and retrains the learned index on it. */
    public void merge() {
        long start = System.nanoTime();
        long total = main.length + buffer.size();
        if (total > Integer.MAX_VALUE - 8) throw new IllegalStateException("DeltaLearnedIndex: " + total + " keys exceed a Java array");
        long[] merged = new long[(int) total];
        long[] old = main;
        int[] cursor = {0, 0}; // next of old, next of merged
        buffer.forEach(k -> {
            int i = cursor[0], o = cursor[1];
            while (i < old.length && old[i] <= k) merged[o++] = old[i++];
            merged[o++] = k;
            cursor[0] = i;
            cursor[1] = o;
        });
        System.arraycopy(old, cursor[0], merged, cursor[1], old.length - cursor[0]);
        main = merged;
        index = builder.apply(merged);
        buffer = new BPlusTree();
        merges++;
        mergeNanos += System.nanoTime() - start;
    }

    public int merges() { return merges; }
    public double mergeSeconds() { return mergeNanos / 1e9; }
    public long bufferSize() { return buffer.size(); }

    @Override public long bytes() { return 8L * main.length + index.indexBytes() + buffer.bytes(); }
}
