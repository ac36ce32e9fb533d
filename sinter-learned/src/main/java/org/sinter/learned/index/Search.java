package org.sinter.learned.index;

/**
 * The searches every index ends with: a branch-free lower bound over a window of the sorted keys,
 * the learned indexes' bounded last mile (a window around a prediction, widened when a prediction
 * for a key absent from the training set falls outside its error bound), and exponential search.
 */
public final class Search {
    private Search() {}

    /**
     * First position in {@code [lo, hi)} whose key is {@code >= q}, or {@code hi}. Halves the window
     * with a conditional move instead of a branch, so a mispredicted comparison costs no pipeline
     * flush (the usual fast form of {@code std::lower_bound}).
     */
    public static int lowerBound(long[] keys, long q, int lo, int hi) {
        int len = hi - lo;
        if (len <= 0) return lo;
        int base = lo;
        while (len > 1) {
            int half = len >>> 1;
            base = keys[base + half - 1] < q ? base + half : base;
            len -= half;
        }
        return keys[base] < q ? base + 1 : base;
    }

    /**
     * Lower bound of {@code q} given a predicted position and the window {@code [pred - below,
     * pred + above]} that holds the answer for every indexed key. A query absent from the keys may
     * still land outside it (its neighbours' errors bound it only approximately); the answer is then
     * checked against its neighbours and found by exponential search from the window's edge, so the
     * result is exact whatever the model predicted.
     */
    public static int lowerBoundNear(long[] keys, int n, long q, long pred, int below, int above) {
        int lo = (int) Math.max(0, Math.min(n, pred - below));
        int hi = (int) Math.max(lo, Math.min(n, pred + above + 1));
        int r = lowerBound(keys, q, lo, hi);
        if (r == lo && lo > 0 && keys[lo - 1] >= q) return exponentialLeft(keys, q, lo);
        if (r == hi && hi < n && keys[hi] < q) return exponentialRight(keys, n, q, hi);
        return r;
    }

    /**
     * Lower bound by exponential (galloping) search outward from a predicted position: cost grows
     * with the log of the prediction's actual error rather than of a stored worst-case bound.
     */
    public static int exponentialSearch(long[] keys, int n, long q, long pred) {
        int p = (int) Math.max(0, Math.min(n - 1, pred));
        if (n == 0) return 0;
        return keys[p] < q ? exponentialRight(keys, n, q, p + 1) : exponentialLeft(keys, q, p);
    }

    /** Lower bound knowing the answer is {@code >= from} (every key before {@code from} is {@code < q}). */
    static int exponentialRight(long[] keys, int n, long q, int from) {
        int step = 1, lo = from;
        while (true) {
            long probe = (long) lo + step - 1;
            if (probe >= n) return lowerBound(keys, q, lo, n);
            if (keys[(int) probe] >= q) return lowerBound(keys, q, lo, (int) probe + 1);
            lo = (int) probe + 1;
            step <<= 1;
        }
    }

    /** Lower bound knowing the answer is {@code <= to} (the key at {@code to}, if any, is {@code >= q}). */
    static int exponentialLeft(long[] keys, long q, int to) {
        int step = 1, hi = to;
        while (true) {
            long probe = (long) hi - step;
            if (probe < 0) return lowerBound(keys, q, 0, hi);
            if (keys[(int) probe] < q) return lowerBound(keys, q, (int) probe + 1, hi);
            hi = (int) probe;
            step <<= 1;
        }
    }

    /** A non-negative difference of two longs read as unsigned (it may exceed 2^63) converted to double. */
    public static double unsignedToDouble(long v) {
        return v >= 0 ? (double) v : ((double) (v >>> 1)) * 2.0;
    }

    /** Checks that {@code keys} is sorted ascending (duplicates allowed), naming the first offending position. */
    public static void requireSorted(long[] keys, String who) {
        for (int i = 1; i < keys.length; i++) {
            if (keys[i - 1] > keys[i]) {
                throw new IllegalArgumentException(who + ": keys must be sorted ascending, but keys[" + (i - 1) + "] = "
                        + keys[i - 1] + " > keys[" + i + "] = " + keys[i]);
            }
        }
    }
}
