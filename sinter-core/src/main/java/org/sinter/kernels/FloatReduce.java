package org.sinter.kernels;

import static jdk.incubator.vector.VectorOperators.*;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 SIMD loops behind {@link ReduceKernels}: "row" loops reduce a contiguous run (the
 * inner == 1 layout) across lanes; "cols" loops reduce {@code r} rows of a [r, inner] block over
 * the row axis, lanes running along the inner axis. One method per function, so each compiles
 * alone. Sums add in float lanes for blocks of {@link #BLOCK} elements (rows) or
 * {@link #ROW_BLOCK} rows (cols) and carry the block totals in double, which keeps a 16M-element
 * sum within about 1e-7 of the exact one at full SIMD speed.
 */
final class FloatReduce {
    private FloatReduce() {}

    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(FS.vectorBitSize() / 2));
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int LL = LS.length();
    static final int FL = FS.length();
    private static final int U = 4 * FL;
    static final int BLOCK = 4096;
    static final int ROW_BLOCK = 512;

    private static FloatVector ld(float[] x, int i) {
        return FloatVector.fromArray(FS, x, i);
    }

    // ---------------------------------------------------------------- rows

    static double sumRow(float[] x, int off, int n) {
        int ub = n - n % U;
        double total = 0;
        for (int b = 0; b < ub; b += BLOCK) {
            int end = Math.min(ub, b + BLOCK);
            FloatVector s0 = FloatVector.zero(FS), s1 = s0, s2 = s0, s3 = s0;
            for (int i = b; i < end; i += U) {
                s0 = s0.add(ld(x, off + i));
                s1 = s1.add(ld(x, off + i + FL));
                s2 = s2.add(ld(x, off + i + 2 * FL));
                s3 = s3.add(ld(x, off + i + 3 * FL));
            }
            total += s0.add(s1).add(s2.add(s3)).reduceLanes(ADD);
        }
        for (int i = ub; i < n; i++) total += x[off + i];
        return total;
    }

    static double prodRow(float[] x, int off, int n) {
        int ub = n - n % U;
        FloatVector p0 = FloatVector.broadcast(FS, 1f), p1 = p0, p2 = p0, p3 = p0;
        for (int i = 0; i < ub; i += U) {
            p0 = p0.mul(ld(x, off + i));
            p1 = p1.mul(ld(x, off + i + FL));
            p2 = p2.mul(ld(x, off + i + 2 * FL));
            p3 = p3.mul(ld(x, off + i + 3 * FL));
        }
        float p = p0.mul(p1).mul(p2.mul(p3)).reduceLanes(MUL);
        for (int i = ub; i < n; i++) p *= x[off + i];
        return p;
    }

    static double maxRow(float[] x, int off, int n) {
        int ub = n - n % U;
        FloatVector m0 = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        for (int i = 0; i < ub; i += U) { // MAX propagates NaN, as PyTorch's max does
            m0 = m0.lanewise(MAX, ld(x, off + i));
            m1 = m1.lanewise(MAX, ld(x, off + i + FL));
            m2 = m2.lanewise(MAX, ld(x, off + i + 2 * FL));
            m3 = m3.lanewise(MAX, ld(x, off + i + 3 * FL));
        }
        float m = m0.lanewise(MAX, m1).lanewise(MAX, m2.lanewise(MAX, m3)).reduceLanes(MAX);
        for (int i = ub; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    static double minRow(float[] x, int off, int n) {
        int ub = n - n % U;
        FloatVector m0 = FloatVector.broadcast(FS, Float.POSITIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        for (int i = 0; i < ub; i += U) {
            m0 = m0.lanewise(MIN, ld(x, off + i));
            m1 = m1.lanewise(MIN, ld(x, off + i + FL));
            m2 = m2.lanewise(MIN, ld(x, off + i + 2 * FL));
            m3 = m3.lanewise(MIN, ld(x, off + i + 3 * FL));
        }
        float m = m0.lanewise(MIN, m1).lanewise(MIN, m2.lanewise(MIN, m3)).reduceLanes(MIN);
        for (int i = ub; i < n; i++) m = Math.min(m, x[off + i]);
        return m;
    }

    // ---------------------------------------------------------------- cols

    /** y[yo + i] = sum over k < r of x[base + k*inner + i], for i0 &lt;= i &lt; i1. */
    static void sumCols(float[] x, int base, int r, int inner, int i0, int i1, float[] y, int yo) {
        int i = i0;
        for (; i + 2 * FL <= i1; i += 2 * FL) {
            DoubleVector d0 = DoubleVector.zero(DS), d1 = d0, d2 = d0, d3 = d0;
            for (int k0 = 0; k0 < r; k0 += ROW_BLOCK) {
                int k1 = Math.min(r, k0 + ROW_BLOCK);
                FloatVector a0 = FloatVector.zero(FS), a1 = a0;
                for (int k = k0, p = base + k0 * inner + i; k < k1; k++, p += inner) {
                    a0 = a0.add(ld(x, p));
                    a1 = a1.add(ld(x, p + FL));
                }
                d0 = d0.add((DoubleVector) a0.convertShape(F2D, DS, 0));
                d1 = d1.add((DoubleVector) a0.convertShape(F2D, DS, 1));
                d2 = d2.add((DoubleVector) a1.convertShape(F2D, DS, 0));
                d3 = d3.add((DoubleVector) a1.convertShape(F2D, DS, 1));
            }
            ((FloatVector) d0.convertShape(D2F, HALF, 0)).intoArray(y, yo + i);
            ((FloatVector) d1.convertShape(D2F, HALF, 0)).intoArray(y, yo + i + FL / 2);
            ((FloatVector) d2.convertShape(D2F, HALF, 0)).intoArray(y, yo + i + FL);
            ((FloatVector) d3.convertShape(D2F, HALF, 0)).intoArray(y, yo + i + FL + FL / 2);
        }
        for (; i < i1; i++) {
            double s = 0;
            for (int k = 0, p = base + i; k < r; k++, p += inner) s += x[p];
            y[yo + i] = (float) s;
        }
    }

    static void prodCols(float[] x, int base, int r, int inner, int i0, int i1, float[] y, int yo) {
        int i = i0;
        for (; i + 2 * FL <= i1; i += 2 * FL) {
            FloatVector a0 = FloatVector.broadcast(FS, 1f), a1 = a0;
            for (int k = 0, p = base + i; k < r; k++, p += inner) {
                a0 = a0.mul(ld(x, p));
                a1 = a1.mul(ld(x, p + FL));
            }
            a0.intoArray(y, yo + i);
            a1.intoArray(y, yo + i + FL);
        }
        for (; i < i1; i++) {
            float s = 1;
            for (int k = 0, p = base + i; k < r; k++, p += inner) s *= x[p];
            y[yo + i] = s;
        }
    }

    static void maxCols(float[] x, int base, int r, int inner, int i0, int i1, float[] y, int yo) {
        int i = i0;
        for (; i + 2 * FL <= i1; i += 2 * FL) {
            FloatVector a0 = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY), a1 = a0;
            for (int k = 0, p = base + i; k < r; k++, p += inner) {
                a0 = a0.lanewise(MAX, ld(x, p));
                a1 = a1.lanewise(MAX, ld(x, p + FL));
            }
            a0.intoArray(y, yo + i);
            a1.intoArray(y, yo + i + FL);
        }
        for (; i < i1; i++) {
            float s = Float.NEGATIVE_INFINITY;
            for (int k = 0, p = base + i; k < r; k++, p += inner) s = Math.max(s, x[p]);
            y[yo + i] = s;
        }
    }

    static void minCols(float[] x, int base, int r, int inner, int i0, int i1, float[] y, int yo) {
        int i = i0;
        for (; i + 2 * FL <= i1; i += 2 * FL) {
            FloatVector a0 = FloatVector.broadcast(FS, Float.POSITIVE_INFINITY), a1 = a0;
            for (int k = 0, p = base + i; k < r; k++, p += inner) {
                a0 = a0.lanewise(MIN, ld(x, p));
                a1 = a1.lanewise(MIN, ld(x, p + FL));
            }
            a0.intoArray(y, yo + i);
            a1.intoArray(y, yo + i + FL);
        }
        for (; i < i1; i++) {
            float s = Float.POSITIVE_INFINITY;
            for (int k = 0, p = base + i; k < r; k++, p += inner) s = Math.min(s, x[p]);
            y[yo + i] = s;
        }
    }

    // ---------------------------------------------------------------- arg max / min

    /** a beats b for argmax: greater, or NaN over a number (NaN is maximal, first NaN wins). */
    static boolean beatsMax(float a, float b) {
        return a > b || (a != a && b == b);
    }

    /** a beats b for argmin: less, or NaN over a number (PyTorch's argmin also stops at NaN). */
    static boolean beatsMin(float a, float b) {
        return a < b || (a != a && b == b);
    }

    /** Index in [0, n) of the first maximum of x[off .. off+n); n &gt; 0. */
    static int argmaxRow(float[] x, int off, int n) {
        int i = 0, best = 0;
        float bestV = x[off];
        if (n >= 2 * FL) {
            IntVector iota = IntVector.zero(IS).addIndex(1);
            FloatVector bv = ld(x, off);
            IntVector bi = iota;
            int ub = FS.loopBound(n);
            for (i = FL; i < ub; i += FL) {
                FloatVector v = ld(x, off + i);
                VectorMask<Float> m = v.compare(GT, bv).or(v.test(IS_NAN).andNot(bv.test(IS_NAN)));
                bv = bv.blend(v, m);
                bi = bi.blend(iota.add(i), m.cast(IS));
            }
            bestV = bv.lane(0);
            best = bi.lane(0);
            for (int j = 1; j < FL; j++) { // lanes hold first maxima of their residues: take the best, then the first
                float v = bv.lane(j);
                int k = bi.lane(j);
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

    static int argminRow(float[] x, int off, int n) {
        int i = 0, best = 0;
        float bestV = x[off];
        if (n >= 2 * FL) {
            IntVector iota = IntVector.zero(IS).addIndex(1);
            FloatVector bv = ld(x, off);
            IntVector bi = iota;
            int ub = FS.loopBound(n);
            for (i = FL; i < ub; i += FL) {
                FloatVector v = ld(x, off + i);
                VectorMask<Float> m = v.compare(LT, bv).or(v.test(IS_NAN).andNot(bv.test(IS_NAN)));
                bv = bv.blend(v, m);
                bi = bi.blend(iota.add(i), m.cast(IS));
            }
            bestV = bv.lane(0);
            best = bi.lane(0);
            for (int j = 1; j < FL; j++) {
                float v = bv.lane(j);
                int k = bi.lane(j);
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
    static void argmaxCols(float[] x, int base, int r, int inner, int i0, int i1, long[] y, int yo) {
        int i = i0;
        for (; i + FL <= i1; i += FL) {
            FloatVector bv = ld(x, base + i);
            IntVector bi = IntVector.zero(IS);
            for (int k = 1, p = base + inner + i; k < r; k++, p += inner) {
                FloatVector v = ld(x, p);
                VectorMask<Float> m = v.compare(GT, bv).or(v.test(IS_NAN).andNot(bv.test(IS_NAN)));
                bv = bv.blend(v, m);
                bi = bi.blend(k, m.cast(IS));
            }
            for (int part = 0; part < FL / LL; part++) {
                ((LongVector) bi.convertShape(I2L, LS, part)).intoArray(y, yo + i + part * LL);
            }
        }
        for (; i < i1; i++) {
            int best = 0;
            float bestV = x[base + i];
            for (int k = 1, p = base + inner + i; k < r; k++, p += inner) {
                if (beatsMax(x[p], bestV)) {
                    bestV = x[p];
                    best = k;
                }
            }
            y[yo + i] = best;
        }
    }

    static void argminCols(float[] x, int base, int r, int inner, int i0, int i1, long[] y, int yo) {
        int i = i0;
        for (; i + FL <= i1; i += FL) {
            FloatVector bv = ld(x, base + i);
            IntVector bi = IntVector.zero(IS);
            for (int k = 1, p = base + inner + i; k < r; k++, p += inner) {
                FloatVector v = ld(x, p);
                VectorMask<Float> m = v.compare(LT, bv).or(v.test(IS_NAN).andNot(bv.test(IS_NAN)));
                bv = bv.blend(v, m);
                bi = bi.blend(k, m.cast(IS));
            }
            for (int part = 0; part < FL / LL; part++) {
                ((LongVector) bi.convertShape(I2L, LS, part)).intoArray(y, yo + i + part * LL);
            }
        }
        for (; i < i1; i++) {
            int best = 0;
            float bestV = x[base + i];
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
