package org.sinter.learned.index;

/** The baseline with no index at all: branch-free binary search over the whole sorted array. */
public final class BinarySearchIndex implements SortedLongIndex {
    private final long[] keys;

    public BinarySearchIndex(long[] keys) {
        Search.requireSorted(keys, "BinarySearchIndex");
        this.keys = keys;
    }

    @Override public String name() { return "binary search"; }
    @Override public int size() { return keys.length; }
    @Override public long key(int position) { return keys[position]; }
    @Override public int lowerBound(long q) { return Search.lowerBound(keys, q, 0, keys.length); }
    @Override public long indexBytes() { return 0; }
}
