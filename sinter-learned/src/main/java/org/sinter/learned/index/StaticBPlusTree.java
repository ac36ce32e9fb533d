package org.sinter.learned.index;

import java.util.ArrayList;
import java.util.List;

/**
 * A cache-conscious B+-tree bulk-loaded over the sorted keys (the read-only B+-tree of SOSD's
 * comparison, after Rao and Ross's CSB+ layout): the key array itself is the leaf level, cut into
 * pages of {@code fanout} keys, and each inner level is one flat array holding the largest key of
 * every child, so a node is {@code fanout} consecutive longs (128 bytes, two cache lines, at the
 * default 16) with no pointers: child {@code c} of node {@code j} is node {@code j * fanout + c}.
 *
 * <p>A lookup scans each node counting the separators below {@code q} (no branches to mispredict)
 * and descends; the count at the leaf page is the position.
 */
public final class StaticBPlusTree implements SortedLongIndex {
    private final long[] keys;
    private final int fanout;
    /** levels[0] is the root (at most {@code fanout} entries); the last level indexes the key pages. */
    private final long[][] levels;

    public StaticBPlusTree(long[] keys) {
        this(keys, 16);
    }

    public StaticBPlusTree(long[] keys, int fanout) {
        if (fanout < 2) throw new IllegalArgumentException("StaticBPlusTree: fanout must be >= 2, got " + fanout);
        Search.requireSorted(keys, "StaticBPlusTree");
        this.keys = keys;
        this.fanout = fanout;
        List<long[]> bottomUp = new ArrayList<>();
        long[] below = keys;
        while (below.length > fanout) {
            int nodes = (below.length + fanout - 1) / fanout;
            long[] level = new long[nodes];
            for (int j = 0; j < nodes; j++) level[j] = below[Math.min(below.length - 1, j * fanout + fanout - 1)];
            bottomUp.add(level);
            below = level;
        }
        levels = new long[bottomUp.size()][];
        for (int i = 0; i < levels.length; i++) levels[i] = bottomUp.get(levels.length - 1 - i);
    }

    @Override public String name() { return "B+-tree"; }
    @Override public int size() { return keys.length; }
    @Override public long key(int position) { return keys[position]; }

    @Override
    public int lowerBound(long q) {
        int node = 0;
        for (long[] level : levels) {
            int child = countBelow(level, node * fanout, q);
            // Every separator below q: q is beyond the largest key (only possible at the root).
            if (child == fanout || node * fanout + child >= level.length) return keys.length;
            node = node * fanout + child;
        }
        return node * fanout + countBelow(keys, node * fanout, q);
    }

    /** How many of the (up to fanout) entries starting at {@code from} are smaller than {@code q}. */
    private int countBelow(long[] a, int from, long q) {
        int end = Math.min(a.length, from + fanout), c = 0;
        for (int i = from; i < end; i++) c += a[i] < q ? 1 : 0;
        return c;
    }

    @Override
    public long indexBytes() {
        long b = 0;
        for (long[] level : levels) b += 8L * level.length;
        return b;
    }

    /** Height in inner levels (0 when the keys fit one page). */
    public int height() { return levels.length; }
}
