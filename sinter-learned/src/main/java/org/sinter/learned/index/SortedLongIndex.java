package org.sinter.learned.index;

import java.util.function.LongConsumer;

/**
 * An index over a sorted array of 64-bit keys (duplicates allowed), answering where a key is: the
 * contract every structure in the comparison implements (binary search, the B+-tree, TreeMap, the
 * learned indexes), so one benchmark and one correctness test drive them all.
 *
 * <p>Positions are into the sorted key array the index was built over, as {@code std::lower_bound}
 * and SOSD's benchmark define a lookup.
 */
public interface SortedLongIndex {
    /** Short name for tables and plots. */
    String name();

    /** Number of keys indexed (duplicates counted). */
    int size();

    /** The key at a position, {@code 0 <= position < size()}. */
    long key(int position);

    /** Position of the first key {@code >= q}; {@link #size()} when every key is smaller. */
    int lowerBound(long q);

    /** Whether {@code q} is one of the keys. */
    default boolean contains(long q) {
        int i = lowerBound(q);
        return i < size() && key(i) == q;
    }

    /** Number of keys in {@code [lo, hi)}; 0 when {@code hi <= lo}. */
    default int rangeCount(long lo, long hi) {
        if (hi <= lo) return 0;
        return lowerBound(hi) - lowerBound(lo);
    }

    /** Hands every key in {@code [lo, hi)} to {@code action}, in order. */
    default void forEachInRange(long lo, long hi, LongConsumer action) {
        if (hi <= lo) return;
        int n = size();
        for (int i = lowerBound(lo); i < n; i++) {
            long k = key(i);
            if (k >= hi) break;
            action.accept(k);
        }
    }

    /** Bytes the index itself occupies, not counting the key array it searches. */
    long indexBytes();
}
