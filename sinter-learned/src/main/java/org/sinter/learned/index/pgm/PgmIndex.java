package org.sinter.learned.index.pgm;

import java.util.ArrayList;
import java.util.List;
import org.sinter.learned.index.Search;
import org.sinter.learned.index.SortedLongIndex;

/**
 * Ferragina and Vinciguerra's PGM-index: optimal ε-bounded linear segments over the keys, then
 * segments (with a smaller ε) over the segments' first keys, recursively, up to a single root
 * segment. A lookup descends predicting, at each level, which segment of the level below covers
 * the key and searching only ±(ε + 1) around the prediction; at the bottom the same bounded search
 * over the keys gives the position. Unlike an RMI, the error bound is guaranteed by construction.
 */
public final class PgmIndex implements SortedLongIndex {
    private final long[] keys;
    private final int n;
    private final int eps, epsRecursive;
    private final boolean exponential;
    private final long min, max;
    /** levels.get(0) indexes the keys; the last level is the single root segment. */
    private final Segments[] levels;

    public PgmIndex(long[] keys, int eps) {
        this(keys, eps, 4, false);
    }

    public PgmIndex(long[] keys, int eps, int epsRecursive) {
        this(keys, eps, epsRecursive, false);
    }

    /**
     * @param exponential search the keys outward from the prediction (exponential search) instead of
     *                    binary search over the whole ±(ε + 1) window: typical errors are well below ε, and the
     *                    first probes share the prediction's cache line
     */
    public PgmIndex(long[] keys, int eps, int epsRecursive, boolean exponential) {
        if (eps < 1 || epsRecursive < 1) throw new IllegalArgumentException("PgmIndex: eps and epsRecursive must be >= 1, got " + eps + " and " + epsRecursive);
        Search.requireSorted(keys, "PgmIndex");
        this.keys = keys;
        this.n = keys.length;
        this.eps = eps;
        this.epsRecursive = epsRecursive;
        this.exponential = exponential;
        this.min = n == 0 ? 0 : keys[0];
        this.max = n == 0 ? 0 : keys[n - 1];
        List<Segments> built = new ArrayList<>();
        if (n > 0) {
            Segments level = Segments.build(keys, n, eps);
            built.add(level);
            while (level.count > 1) {
                level = Segments.build(level.firstKey, level.count, epsRecursive);
                built.add(level);
            }
        }
        levels = built.toArray(new Segments[0]);
    }

    @Override
    public int lowerBound(long q) {
        if (n == 0 || q <= min) return 0;
        if (q > max) return n;
        int s = 0;
        for (int l = levels.length - 1; l > 0; l--) {
            Segments level = levels[l], below = levels[l - 1];
            long pred = level.predict(s, q);
            int w = level.maxError + 1;
            int r = Search.lowerBoundNear(below.firstKey, below.count, q, pred, w, w);
            s = r < below.count && below.firstKey[r] == q ? r : r - 1; // the last segment starting at or before q
        }
        Segments bottom = levels[0];
        if (exponential) return Search.exponentialSearch(keys, n, q, bottom.predict(s, q));
        int w = bottom.maxError + 1;
        return Search.lowerBoundNear(keys, n, q, bottom.predict(s, q), w, w);
    }

    @Override public String name() { return "PGM eps=" + eps + (exponential ? " exp" : ""); }
    @Override public int size() { return n; }
    @Override public long key(int position) { return keys[position]; }

    @Override
    public long indexBytes() {
        long b = 0;
        for (Segments s : levels) b += s.bytes();
        return b;
    }

    /** Segments of the bottom level. */
    public int segments() { return levels.length == 0 ? 0 : levels[0].count; }

    /** Levels including the bottom one. */
    public int height() { return levels.length; }

    /** The largest prediction error over the keys at the bottom level (guaranteed <= eps + 1). */
    public int bottomError() { return levels.length == 0 ? 0 : levels[0].maxError; }

    /** The largest prediction error of any level, as ε bounds it: {eps, epsRecursive} against the measured ones. */
    public int[] measuredErrors() {
        int[] e = new int[levels.length];
        for (int i = 0; i < levels.length; i++) e[i] = levels[i].maxError;
        return e;
    }

    public int eps() { return eps; }
    public int epsRecursive() { return epsRecursive; }
}
