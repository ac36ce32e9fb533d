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
        double total = s0.add(s1).add(s2.add(s3)).reduceLanes(ADD);
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
        double p = p0.mul(p1).mul(p2.mul(p3)).reduceLanes(MUL);
        for (int i = ub; i < n; i++) p *= x[off + i];
        return p;
    }

    static double maxRow(double[] x, int off, int n) {
        int ub = n - n % U;
        DoubleVector m0 = DoubleVector.broadcast(DS, Double.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        for (int i = 0; i < ub; i += U) { // MAX propagates NaN, as PyTorch's max does
            m0 = m0.lanewise(MAX, ld(x, off + i));
            m1 = m1.lanewise(MAX, ld(x, off + i + DL));
            m2 = m2.lanewise(MAX, ld(x, off + i + 2 * DL));
            m3 = m3.lanewise(MAX, ld(x, off + i + 3 * DL));
        }
        double m = m0.lanewise(MAX, m1).lanewise(MAX, m2.lanewise(MAX, m3)).reduceLanes(MAX);
        for (int i = ub; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    static double minRow(double[] x, int off, int n) {
        int ub = n - n % U;
        DoubleVector m0 = DoubleVector.broadcast(DS, Double.POSITIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        for (int i = 0; i < ub; i += U) {
            m0 = m0.lanewise(MIN, ld(x, off + i));
            m1 = m1.lanewise(MIN, ld(x, off + i + DL));
            m2 = m2.lanewise(MIN, ld(x, off + i + 2 * DL));
            m3 = m3.lanewise(MIN, ld(x, off + i + 3 * DL));
        }
        double m = m0.lanewise(MIN, m1).lanewise(MIN, m2.lanewise(MIN, m3)).reduceLanes(MIN);
        for (int i = ub; i < n; i++) m = Math.min(m, x[off + i]);
        return m;
    }

    // ---------------------------------------------------------------- cols

    /** y[yo + i] = sum over k < r of x[base + k*inner + i], for i0 &lt;= i &lt; i1. */
    static void sumCols(double[] x, int base, int r, int inner, int i0, int i1, double[] y, int yo) {
        int i = i0;
        for (; i + 2 * DL <= i1; i += 2 * DL) {
            DoubleVector a0 = DoubleVector.zero(DS), a1 = a0;
            for (int k = 0, p = base + i; k < r; k++, p += inner) {
                a0 = a0.add(ld(x, p));
                a1 = a1.add(ld(x, p + DL));
            }
            a0.intoArray(y, yo + i);
            a1.intoArray(y, yo + i + DL);
        }
        for (; i < i1; i++) {
            double s = 0;
            for (int k = 0, p = base + i; k < r; k++, p += inner) s += x[p];
            y[yo + i] = s;
        }
    }

    static void prodCols(double[] x, int base, int r, int inner, int i0, int i1, double[] y, int yo) {
        int i = i0;
        for (; i + 2 * DL <= i1; i += 2 * DL) {
            DoubleVector a0 = DoubleVector.broadcast(DS, 1.0), a1 = a0;
            for (int k = 0, p = base + i; k < r; k++, p += inner) {
                a0 = a0.mul(ld(x, p));
                a1 = a1.mul(ld(x, p + DL));
            }
            a0.intoArray(y, yo + i);
            a1.intoArray(y, yo + i + DL);
        }
        for (; i < i1; i++) {
            double s = 1;
            for (int k = 0, p = base + i; k < r; k++, p += inner) s *= x[p];
            y[yo + i] = s;
        }
    }

    static void maxCols(double[] x, int base, int r, int inner, int i0, int i1, double[] y, int yo) {
        int i = i0;
        for (; i + 2 * DL <= i1; i += 2 * DL) {
            DoubleVector a0 = DoubleVector.broadcast(DS, Double.NEGATIVE_INFINITY), a1 = a0;
            for (int k = 0, p = base + i; k < r; k++, p += inner) {
                a0 = a0.lanewise(MAX, ld(x, p));
                a1 = a1.lanewise(MAX, ld(x, p + DL));
            }
            a0.intoArray(y, yo + i);
            a1.intoArray(y, yo + i + DL);
        }
        for (; i < i1; i++) {
            double s = Double.NEGATIVE_INFINITY;
            for (int k = 0, p = base + i; k < r; k++, p += inner) s = Math.max(s, x[p]);
            y[yo + i] = s;
        }
    }

    static void minCols(double[] x, int base, int r, int inner, int i0, int i1, double[] y, int yo) {
        int i = i0;
        for (; i + 2 * DL <= i1; i += 2 * DL) {
            DoubleVector a0 = DoubleVector.broadcast(DS, Double.POSITIVE_INFINITY), a1 = a0;
            for (int k = 0, p = base + i; k < r; k++, p += inner) {
                a0 = a0.lanewise(MIN, ld(x, p));
                a1 = a1.lanewise(MIN, ld(x, p + DL));
            }
            a0.intoArray(y, yo + i);
            a1.intoArray(y, yo + i + DL);
        }
        for (; i < i1; i++) {
            double s = Double.POSITIVE_INFINITY;
            for (int k = 0, p = base + i; k < r; k++, p += inner) s = Math.min(s, x[p]);
            y[yo + i] = s;
        }
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
