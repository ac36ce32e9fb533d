package org.sinter.kernels;

import static jdk.incubator.vector.VectorOperators.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 SIMD loops behind {@link ReduceKernels}: "row" loops reduce a contiguous run (the
 * inner == 1 layout) across lanes; "cols" loops reduce {@code r} rows of a [r, inner] block over
 * the row axis, lanes running along the inner axis. One method per function, so each compiles
 * alone. Sums add in float lanes for blocks of {@link #BLOCK} elements (rows) or
 * {@link #ROW_BLOCK} rows (cols) and carry the block totals in double, which keeps a 16M-element
 * sum within about 1e-7 of the exact one at full SIMD speed. Column loops stream whole rows into
 * the output, used as the accumulator, so their reads stay sequential.
 */
final class FloatReduce {
    private FloatReduce() {}

    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    private static final int LL = LS.length();
    static final int FL = FS.length();
    private static final int U = 4 * FL;
    static final int BLOCK = 4096;
    static final int ROW_BLOCK = 512;
    /** Columns are reduced in chunks this wide, so the accumulating output chunk stays in L1. */
    static final int COL_CHUNK = 2048;

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
            total += Lanes.sum(s0.add(s1).add(s2.add(s3)));
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
        float p = Lanes.product(p0.mul(p1).mul(p2.mul(p3)));
        for (int i = ub; i < n; i++) p *= x[off + i];
        return p;
    }

    static double maxRow(float[] x, int off, int n) {
        int ub = n - n % U;
        FloatVector m0 = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        FloatVector probe = FloatVector.zero(FS);
        for (int i = 0; i < ub; i += U) {
            // Compare-and-blend is cheaper than the NaN-exact MAX operator but skips NaNs, so a
            // running sum probes for them: it turns NaN if any element is NaN (or, rarely, when
            // infinities of both signs meet; then the exact scan below settles it).
            FloatVector v0 = ld(x, off + i), v1 = ld(x, off + i + FL), v2 = ld(x, off + i + 2 * FL), v3 = ld(x, off + i + 3 * FL);
            m0 = m0.blend(v0, v0.compare(GT, m0));
            m1 = m1.blend(v1, v1.compare(GT, m1));
            m2 = m2.blend(v2, v2.compare(GT, m2));
            m3 = m3.blend(v3, v3.compare(GT, m3));
            probe = probe.add(v0.add(v1).add(v2.add(v3)));
        }
        if (probe.test(IS_NAN).anyTrue() && hasNaN(x, off, ub)) return Double.NaN;
        float m = m0.lanewise(MAX, m1).lanewise(MAX, m2.lanewise(MAX, m3)).reduceLanes(MAX);
        for (int i = ub; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    static double minRow(float[] x, int off, int n) {
        int ub = n - n % U;
        FloatVector m0 = FloatVector.broadcast(FS, Float.POSITIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
        FloatVector probe = FloatVector.zero(FS);
        for (int i = 0; i < ub; i += U) {
            // Compare-and-blend is cheaper than the NaN-exact MAX operator but skips NaNs, so a
            // running sum probes for them: it turns NaN if any element is NaN (or, rarely, when
            // infinities of both signs meet; then the exact scan below settles it).
            FloatVector v0 = ld(x, off + i), v1 = ld(x, off + i + FL), v2 = ld(x, off + i + 2 * FL), v3 = ld(x, off + i + 3 * FL);
            m0 = m0.blend(v0, v0.compare(LT, m0));
            m1 = m1.blend(v1, v1.compare(LT, m1));
            m2 = m2.blend(v2, v2.compare(LT, m2));
            m3 = m3.blend(v3, v3.compare(LT, m3));
            probe = probe.add(v0.add(v1).add(v2.add(v3)));
        }
        if (probe.test(IS_NAN).anyTrue() && hasNaN(x, off, ub)) return Double.NaN;
        float m = m0.lanewise(MIN, m1).lanewise(MIN, m2.lanewise(MIN, m3)).reduceLanes(MIN);
        for (int i = ub; i < n; i++) m = Math.min(m, x[off + i]);
        return m;
    }

    private static boolean hasNaN(float[] x, int off, int n) {
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
    static void sumCols(float[] x, int base, int r, int inner, int i0, int i1, float[] y, int yo) {
        // Float lanes for ROW_BLOCK rows at a time, block totals carried in double.
        double[] carry = r > ROW_BLOCK ? new double[Math.min(COL_CHUNK, i1 - i0)] : null;
        for (int c0 = i0; c0 < i1; c0 += COL_CHUNK) {
            int w = Math.min(COL_CHUNK, i1 - c0);
            for (int k0 = 0; k0 < r; k0 += ROW_BLOCK) {
                int k1 = Math.min(r, k0 + ROW_BLOCK);
                System.arraycopy(x, base + k0 * inner + c0, y, yo + c0, w);
                for (int k = k0 + 1; k < k1; k++) addInto(y, yo + c0, x, base + k * inner + c0, w);
                if (carry != null) {
                    for (int j = 0; j < w; j++) carry[j] = (k0 == 0 ? 0 : carry[j]) + y[yo + c0 + j];
                }
            }
            if (carry != null) {
                for (int j = 0; j < w; j++) y[yo + c0 + j] = (float) carry[j];
            }
        }
    }

    static void prodCols(float[] x, int base, int r, int inner, int i0, int i1, float[] y, int yo) {
        for (int c0 = i0; c0 < i1; c0 += COL_CHUNK) {
            int w = Math.min(COL_CHUNK, i1 - c0);
            System.arraycopy(x, base + c0, y, yo + c0, w);
            for (int k = 1; k < r; k++) mulInto(y, yo + c0, x, base + k * inner + c0, w);
        }
    }

    static void maxCols(float[] x, int base, int r, int inner, int i0, int i1, float[] y, int yo) {
        for (int c0 = i0; c0 < i1; c0 += COL_CHUNK) {
            int w = Math.min(COL_CHUNK, i1 - c0);
            System.arraycopy(x, base + c0, y, yo + c0, w);
            for (int k = 1; k < r; k++) maxInto(y, yo + c0, x, base + k * inner + c0, w);
        }
    }

    static void minCols(float[] x, int base, int r, int inner, int i0, int i1, float[] y, int yo) {
        for (int c0 = i0; c0 < i1; c0 += COL_CHUNK) {
            int w = Math.min(COL_CHUNK, i1 - c0);
            System.arraycopy(x, base + c0, y, yo + c0, w);
            for (int k = 1; k < r; k++) minInto(y, yo + c0, x, base + k * inner + c0, w);
        }
    }

    private static void addInto(float[] y, int yo, float[] x, int xo, int w) {
        int j = 0;
        for (int ub = FS.loopBound(w); j < ub; j += FL) {
            FloatVector a = ld(y, yo + j), b = ld(x, xo + j);
            a.add(b).intoArray(y, yo + j);
        }
        for (; j < w; j++) y[yo + j] = y[yo + j] + x[xo + j];
    }

    private static void mulInto(float[] y, int yo, float[] x, int xo, int w) {
        int j = 0;
        for (int ub = FS.loopBound(w); j < ub; j += FL) {
            FloatVector a = ld(y, yo + j), b = ld(x, xo + j);
            a.mul(b).intoArray(y, yo + j);
        }
        for (; j < w; j++) y[yo + j] = y[yo + j] * x[xo + j];
    }

    private static void maxInto(float[] y, int yo, float[] x, int xo, int w) {
        int j = 0;
        for (int ub = FS.loopBound(w); j < ub; j += FL) {
            FloatVector a = ld(y, yo + j), b = ld(x, xo + j);
            a.lanewise(MAX, b).intoArray(y, yo + j);
        }
        for (; j < w; j++) y[yo + j] = Math.max(y[yo + j], x[xo + j]);
    }

    private static void minInto(float[] y, int yo, float[] x, int xo, int w) {
        int j = 0;
        for (int ub = FS.loopBound(w); j < ub; j += FL) {
            FloatVector a = ld(y, yo + j), b = ld(x, xo + j);
            a.lanewise(MIN, b).intoArray(y, yo + j);
        }
        for (; j < w; j++) y[yo + j] = Math.min(y[yo + j], x[xo + j]);
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
