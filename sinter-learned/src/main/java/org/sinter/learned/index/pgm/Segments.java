package org.sinter.learned.index.pgm;

import java.util.Arrays;
import org.sinter.learned.index.Search;

/**
 * One level of a PGM-index: ε-bounded linear segments over a sorted array, each predicting a
 * key's position from its distance to the segment's first key. Duplicates are one point (the
 * position of their first occurrence), so a prediction aims at the lower bound.
 */
final class Segments {
    final long[] firstKey;
    /** Slope and intercept of segment s at 2s and 2s + 1: one cache line serves both. */
    final double[] model;
    final int count;
    /** Largest error of a prediction over the points the level was built on (≤ ε + 1 after rounding). */
    final int maxError;

    private Segments(long[] firstKey, double[] model, int count, int maxError) {
        this.firstKey = firstKey; this.model = model; this.count = count; this.maxError = maxError;
    }

    long predict(int s, long q) {
        return (long) Math.floor(model[2 * s + 1] + model[2 * s] * Search.unsignedToDouble(q - firstKey[s]) + 0.5);
    }

    /** Segments over {@code a[0, len)} (sorted; equal runs count once) with error at most {@code eps}. */
    static Segments build(long[] a, int len, double eps) {
        OptimalPla pla = new OptimalPla(eps);
        int cap = 16, count = 0;
        int[] start = new int[cap];
        double[] slopes = new double[cap];
        long origin = 0;
        for (int i = 0; i < len; i++) {
            if (i > 0 && a[i] == a[i - 1]) continue;
            if (pla.points() > 0 && pla.add(Search.unsignedToDouble(a[i] - origin), i)) continue;
            if (pla.points() > 0) slopes[count - 1] = pla.slope();
            if (count == cap) { cap *= 2; start = Arrays.copyOf(start, cap); slopes = Arrays.copyOf(slopes, cap); }
            start[count++] = i;
            origin = a[i];
            pla.reset();
            pla.add(0, i);
        }
        if (count > 0) slopes[count - 1] = pla.slope();
        long[] firstKey = new long[count];
        double[] intercept = new double[count];
        int maxErr = 0;
        for (int s = 0; s < count; s++) {
            int from = start[s], to = s + 1 < count ? start[s + 1] : len;
            long k0 = a[from];
            firstKey[s] = k0;
            // The intercept centring the residuals of this slope: it minimises the largest error.
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                if (i > from && a[i] == a[i - 1]) continue;
                double r = i - slopes[s] * Search.unsignedToDouble(a[i] - k0);
                lo = Math.min(lo, r); hi = Math.max(hi, r);
            }
            intercept[s] = (lo + hi) / 2;
        }
        double[] model = new double[2 * count];
        for (int s = 0; s < count; s++) { model[2 * s] = slopes[s]; model[2 * s + 1] = intercept[s]; }
        Segments level = new Segments(firstKey, model, count, 0);
        for (int s = 0; s < count; s++) {
            int from = start[s], to = s + 1 < count ? start[s + 1] : len;
            for (int i = from; i < to; i++) {
                if (i > from && a[i] == a[i - 1]) continue;
                maxErr = (int) Math.max(maxErr, Math.min(Integer.MAX_VALUE, Math.abs(level.predict(s, a[i]) - i)));
            }
        }
        return new Segments(firstKey, model, count, maxErr);
    }

    long bytes() { return 24L * count; }
}
