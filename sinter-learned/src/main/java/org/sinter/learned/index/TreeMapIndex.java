package org.sinter.learned.index;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a Java user reaches for: {@link TreeMap} from each distinct key to the position of its first
 * occurrence, a red-black tree of boxed keys and values. {@code ceilingEntry} is the lower bound.
 */
public final class TreeMapIndex implements SortedLongIndex {
    /** Per entry on a 64-bit JVM with compressed references: TreeMap.Entry (40), a Long (16), an Integer (16). */
    static final long BYTES_PER_ENTRY = 72;
    private final long[] keys;
    private final TreeMap<Long, Integer> map = new TreeMap<>();

    public TreeMapIndex(long[] keys) {
        Search.requireSorted(keys, "TreeMapIndex");
        this.keys = keys;
        for (int i = keys.length - 1; i >= 0; i--) map.put(keys[i], i); // last put per key wins: its first position
    }

    @Override public String name() { return "TreeMap"; }
    @Override public int size() { return keys.length; }
    @Override public long key(int position) { return keys[position]; }

    @Override
    public int lowerBound(long q) {
        Map.Entry<Long, Integer> e = map.ceilingEntry(q);
        return e == null ? keys.length : e.getValue();
    }

    @Override public long indexBytes() { return BYTES_PER_ENTRY * map.size(); }
}
