package org.sinter.kernels;

import static jdk.incubator.vector.VectorOperators.*;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** The float64 twin of {@link FloatReduce}: the same loops on double lanes (sums need no carry). */
final class DoubleReduce {
    private DoubleReduce() {}

    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    static final int DL = DS.length();
    private static final int U = 4 * DL;
    static final int COL_CHUNK = 2048;

    private static DoubleVector ld(double[] x, int i) {
        return DoubleVector.fromArray(DS, x, i);
    }

    // ---------------------------------------------------------------- rows

    static double sumRow(double[] x, int off, int n) {
        int ub = n - n % U;
        DoubleVector s0 = DoubleVector.zero(DS), s1 = s0, s2 = s0, s3 = s0;
        for (int i = 0; i < ub; i += U) {
            s0 = s0.add(ld(x, off + i));
            s1 = s1.add(ld(x, off + i + DL));
            s2 = s2.add(ld(x, off + i + 2 * DL));
            s3 = s3.add(ld(x, off + i + 3 * DL));
        }
        double total = Lanes.sum(s0.add(s1).add(s2.add(s3)));
        for (int i = ub; i < n; i++) total += x[off + i];
        return total;
    }

    static double prodRow(double[] x, int off, int n) {
        int ub = n - n % U;
        DoubleVector p0 = DoubleVector.broadcast(DS, 1.0), p1 = p0, p2 = p0, p3 = p0;
        for (int i = 0; i < ub; i += U) {
            p0 = p0.mul(ld(x, off + i));
            p1 = p1.mul(ld(x, off + i + DL));
            p2 = p2.mul(ld(x, off + i + 2 * DL));
            p3 = p3.mul(ld(x, off + i + 3 * DL));
        }
        double p = Lanes.product(p0.mul(p1).mul(p2.mul(p3)));
        for (int i = ub; i < n; i++) p *= x[off + i];
        return p;
    }

    static double maxRow(double[] x, int off, int n) {
        int ub = n - n % U;
        DoubleVector m0 = DoubleVector.broadcast(DS, Double.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        DoubleVector probe = DoubleVector.zero(DS);
        for (int i = 0; i < ub; i += U) {
            // Compare-and-blend is cheaper than the NaN-exact MAX operator but skips NaNs, so a
            // running sum probes for them: it turns NaN if any element is NaN (or, rarely, when
            // infinities of both signs meet; then the exact scan below settles it).
            DoubleVector v0 = ld(x, off + i), v1 = ld(x, off + i + DL), v2 = ld(x, off + i + 2 * DL), v3 = ld(x, off + i + 3 * DL);
            m0 = m0.blend(v0, v0.compare(GT, m0));
            m1 = m1.blend(v1, v1.compare(GT, m1));
            m2 = m2.blend(v2, v2.compare(GT, m2));
            m3 = m3.blend(v3, v3.compare(GT, m3));
            probe = probe.add(v0.add(v1).add(v2.add(v3)));
        }
        if (probe.test(IS_NAN).anyTrue() && hasNaN(x, off, ub)) return Double.NaN;
        double m = m0.lanewise(MAX, m1).lanewise(MAX, m2.lanewise(MAX, m3)).reduceLanes(MAX);
        for (int i = ub; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    static double minRow(double[] x, int off, int n) {
        int ub = n - n % U;
        DoubleVector m0 = DoubleVector.broadcast(DS, Double.POSITIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        DoubleVector probe = DoubleVector.zero(DS);
        for (int i = 0; i < ub; i += U) {
            // Compare-and-blend is cheaper than the NaN-exact MAX operator but skips NaNs, so a
            // running sum probes for them: it turns NaN if any element is NaN (or, rarely, when
            // infinities of both signs meet; then the exact scan below settles it).
            DoubleVector v0 = ld(x, off + i), v1 = ld(x, off + i + DL), v2 = ld(x, off + i + 2 * DL), v3 = ld(x, off + i + 3 * DL);
            m0 = m0.blend(v0, v0.compare(LT, m0));
            m1 = m1.blend(v1, v1.compare(LT, m1));
            m2 = m2.blend(v2, v2.compare(LT, m2));
            m3 = m3.blend(v3, v3.compare(LT, m3));
            probe = probe.add(v0.add(v1).add(v2.add(v3)));
        }
        if (probe.test(IS_NAN).anyTrue() && hasNaN(x, off, ub)) return Double.NaN;
        double m = m0.lanewise(MIN, m1).lanewise(MIN, m2.lanewise(MIN, m3)).reduceLanes(MIN);
        for (int i = ub; i < n; i++) m = Math.min(m, x[off + i]);
        return m;
    }

    private static boolean hasNaN(double[] x, int off, int n) {
        for (int i = 0; i < n; i++) {
            if (x[off + i] != x[off + i]) return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- cols

    /**
     * y[yo + i] = sum over k &lt; r of x[base + k*inner + i], for i0 &lt;= i &lt; i1. Streams whole rows
     * (the output chunk stays in L1 as the accumulator), which keeps the reads sequential.
     */
    static void sumCols(double[] x, int base, int r, int inner, int i0, int i1, double[] y, int yo) {
        for (int c0 = i0; c0 < i1; c0 += COL_CHUNK) {
            int w = Math.min(COL_CHUNK, i1 - c0);
            System.arraycopy(x, base + c0, y, yo + c0, w);
            for (int k = 1; k < r; k++) addInto(y, yo + c0, x, base + k * inner + c0, w);
        }
    }

    static void prodCols(double[] x, int base, int r, int inner, int i0, int i1, double[] y, int yo) {
        for (int c0 = i0; c0 < i1; c0 += COL_CHUNK) {
            int w = Math.min(COL_CHUNK, i1 - c0);
            System.arraycopy(x, base + c0, y, yo + c0, w);
            for (int k = 1; k < r; k++) mulInto(y, yo + c0, x, base + k * inner + c0, w);
        }
    }

    static void maxCols(double[] x, int base, int r, int inner, int i0, int i1, double[] y, int yo) {
        for (int c0 = i0; c0 < i1; c0 += COL_CHUNK) {
            int w = Math.min(COL_CHUNK, i1 - c0);
            System.arraycopy(x, base + c0, y, yo + c0, w);
            for (int k = 1; k < r; k++) maxInto(y, yo + c0, x, base + k * inner + c0, w);
        }
    }

    static void minCols(double[] x, int base, int r, int inner, int i0, int i1, double[] y, int yo) {
        for (int c0 = i0; c0 < i1; c0 += COL_CHUNK) {
            int w = Math.min(COL_CHUNK, i1 - c0);
            System.arraycopy(x, base + c0, y, yo + c0, w);
            for (int k = 1; k < r; k++) minInto(y, yo + c0, x, base + k * inner + c0, w);
        }
    }

    private static void addInto(double[] y, int yo, double[] x, int xo, int w) {
        int j = 0;
        for (int ub = DS.loopBound(w); j < ub; j += DL) {
            DoubleVector a = ld(y, yo + j), b = ld(x, xo + j);
            a.add(b).intoArray(y, yo + j);
        }
        for (; j < w; j++) y[yo + j] = y[yo + j] + x[xo + j];
    }

    private static void mulInto(double[] y, int yo, double[] x, int xo, int w) {
        int j = 0;
        for (int ub = DS.loopBound(w); j < ub; j += DL) {
            DoubleVector a = ld(y, yo + j), b = ld(x, xo + j);
            a.mul(b).intoArray(y, yo + j);
        }
        for (; j < w; j++) y[yo + j] = y[yo + j] * x[xo + j];
    }

    private static void maxInto(double[] y, int yo, double[] x, int xo, int w) {
        int j = 0;
        for (int ub = DS.loopBound(w); j < ub; j += DL) {
            DoubleVector a = ld(y, yo + j), b = ld(x, xo + j);
            a.lanewise(MAX, b).intoArray(y, yo + j);
        }
        for (; j < w; j++) y[yo + j] = Math.max(y[yo + j], x[xo + j]);
    }

    private static void minInto(double[] y, int yo, double[] x, int xo, int w) {
        int j = 0;
        for (int ub = DS.loopBound(w); j < ub; j += DL) {
            DoubleVector a = ld(y, yo + j), b = ld(x, xo + j);
            a.lanewise(MIN, b).intoArray(y, yo + j);
        }
        for (; j < w; j++) y[yo + j] = Math.min(y[yo + j], x[xo + j]);
    }

    // ---------------------------------------------------------------- arg max / min

    /** a beats b for argmax: greater, or NaN over a number (NaN is maximal, first NaN wins). */
    static boolean beatsMax(double a, double b) {
        return a > b || (a != a && b == b);
    }

    /** a beats b for argmin: less, or NaN over a number (PyTorch's argmin also stops at NaN). */
    static boolean beatsMin(double a, double b) {
        return a < b || (a != a && b == b);
    }

    /** Index in [0, n) of the first maximum of x[off .. off+n); n &gt; 0. */
    static int argmaxRow(double[] x, int off, int n) {
        int i = 0, best = 0;
        double bestV = x[off];
        if (n >= 2 * DL) {
            LongVector iota = LongVector.zero(LS).addIndex(1);
            DoubleVector bv = ld(x, off);
            LongVector bi = iota;
            int ub = DS.loopBound(n);
            for (i = DL; i < ub; i += DL) {
                DoubleVector v = ld(x, off + i);
                VectorMask<Double> m = v.compare(GT, bv).or(v.test(IS_NAN).andNot(bv.test(IS_NAN)));
                bv = bv.blend(v, m);
                bi = bi.blend(iota.add(i), m.cast(LS));
            }
            bestV = bv.lane(0);
            best = (int) bi.lane(0);
            for (int j = 1; j < DL; j++) { // lanes hold first maxima of their residues: take the best, then the first
                double v = bv.lane(j);
                int k = (int) bi.lane(j);
                if (beatsMax(v, bestV) || (!beatsMax(bestV, v) && k < best)) {
                    bestV = v;
                    best = k;
                }
            }
        }
        for (; i < n; i++) {
            if (beatsMax(x[off + i], bestV)) {
                bestV = x[off + i];
                best = i;
            }
        }
        return best;
    }

    static int argminRow(double[] x, int off, int n) {
        int i = 0, best = 0;
        double bestV = x[off];
        if (n >= 2 * DL) {
            LongVector iota = LongVector.zero(LS).addIndex(1);
            DoubleVector bv = ld(x, off);
            LongVector bi = iota;
            int ub = DS.loopBound(n);
            for (i = DL; i < ub; i += DL) {
                DoubleVector v = ld(x, off + i);
                VectorMask<Double> m = v.compare(LT, bv).or(v.test(IS_NAN).andNot(bv.test(IS_NAN)));
                bv = bv.blend(v, m);
                bi = bi.blend(iota.add(i), m.cast(LS));
            }
            bestV = bv.lane(0);
            best = (int) bi.lane(0);
            for (int j = 1; j < DL; j++) {
                double v = bv.lane(j);
                int k = (int) bi.lane(j);
                if (beatsMin(v, bestV) || (!beatsMin(bestV, v) && k < best)) {
                    bestV = v;
                    best = k;
                }
            }
        }
        for (; i < n; i++) {
            if (beatsMin(x[off + i], bestV)) {
                bestV = x[off + i];
                best = i;
            }
        }
        return best;
    }

    /** y[yo + i] = argmax over k &lt; r of x[base + k*inner + i], for i0 &lt;= i &lt; i1; r &gt; 0. */
    static void argmaxCols(double[] x, int base, int r, int inner, int i0, int i1, long[] y, int yo) {
        int i = i0;
        for (; i + DL <= i1; i += DL) {
            DoubleVector bv = ld(x, base + i);
            LongVector bi = LongVector.zero(LS);
            for (int k = 1, p = base + inner + i; k < r; k++, p += inner) {
                DoubleVector v = ld(x, p);
                VectorMask<Double> m = v.compare(GT, bv).or(v.test(IS_NAN).andNot(bv.test(IS_NAN)));
                bv = bv.blend(v, m);
                bi = bi.blend((long) k, m.cast(LS));
            }
            bi.intoArray(y, yo + i);
        }
        for (; i < i1; i++) {
            int best = 0;
            double bestV = x[base + i];
            for (int k = 1, p = base + inner + i; k < r; k++, p += inner) {
                if (beatsMax(x[p], bestV)) {
                    bestV = x[p];
                    best = k;
                }
            }
            y[yo + i] = best;
        }
    }

    static void argminCols(double[] x, int base, int r, int inner, int i0, int i1, long[] y, int yo) {
        int i = i0;
        for (; i + DL <= i1; i += DL) {
            DoubleVector bv = ld(x, base + i);
            LongVector bi = LongVector.zero(LS);
            for (int k = 1, p = base + inner + i; k < r; k++, p += inner) {
                DoubleVector v = ld(x, p);
                VectorMask<Double> m = v.compare(LT, bv).or(v.test(IS_NAN).andNot(bv.test(IS_NAN)));
                bv = bv.blend(v, m);
                bi = bi.blend((long) k, m.cast(LS));
            }
            bi.intoArray(y, yo + i);
        }
        for (; i < i1; i++) {
            int best = 0;
            double bestV = x[base + i];
            for (int k = 1, p = base + inner + i; k < r; k++, p += inner) {
                if (beatsMin(x[p], bestV)) {
                    bestV = x[p];
                    best = k;
                }
            }
            y[yo + i] = best;
        }
    }
}
