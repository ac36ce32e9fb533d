package org.sinter.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reductions over [outer, r, inner] blocks in every layout and parallel split, against double references. */
class ReduceKernelsTest {
    /** {outer, r, inner}: empty, tiny, lane edges, both layouts, and the parallel splits (rows, r, inner, outer). */
    static final int[][] SHAPES = {{0, 5, 1}, {3, 0, 1}, {2, 0, 3}, {1, 1, 1}, {1, 7, 1}, {1, 8, 1}, {1, 33, 1}, {4, 31, 1},
            {3, 37, 5}, {2, 17, 16}, {2, 600, 33}, {5, 3, 2049}, {1, 1 << 18, 1}, {3, 40_000, 1}, {1, 3000, 40},
            {2, 300, 300}, {1, 70, 4100}, {300, 500, 1}};

    static float[] data(Random rnd, int n, boolean withNaN) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        if (withNaN && n > 0) x[rnd.nextInt(n)] = Float.NaN;
        return x;
    }

    @Test
    void floatReductionsInEveryLayout() {
        Random rnd = new Random(5);
        for (int[] s : SHAPES) {
            int outer = s[0], r = s[1], inner = s[2], n = outer * r * inner, m = outer * inner;
            float[] x = new float[n + 3];
            System.arraycopy(data(rnd, n, false), 0, x, 3, n);
            for (int i = 3; i < x.length; i++) x[i] = 1 + x[i] * 0.01f; // products stay finite
            double[] xd = new double[x.length];
            for (int i = 0; i < x.length; i++) xd[i] = x[i];
            float[] y = new float[m + 1];
            double[] yd = new double[m + 1];
            for (int op = 0; op < 4; op++) {
                switch (op) {
                    case 0 -> { ReduceKernels.sumF32(x, 3, outer, r, inner, y, 1); ReduceKernels.sumF64(xd, 3, outer, r, inner, yd, 1); }
                    case 1 -> { ReduceKernels.prodF32(x, 3, outer, r, inner, y, 1); ReduceKernels.prodF64(xd, 3, outer, r, inner, yd, 1); }
                    case 2 -> { ReduceKernels.maxF32(x, 3, outer, r, inner, y, 1); ReduceKernels.maxF64(xd, 3, outer, r, inner, yd, 1); }
                    default -> { ReduceKernels.minF32(x, 3, outer, r, inner, y, 1); ReduceKernels.minF64(xd, 3, outer, r, inner, yd, 1); }
                }
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        double acc = op == 0 ? 0 : op == 1 ? 1 : op == 2 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                        double abs = 0;
                        for (int k = 0; k < r; k++) {
                            double v = x[3 + (o * r + k) * inner + i];
                            acc = op == 0 ? acc + v : op == 1 ? acc * v : op == 2 ? Math.max(acc, v) : Math.min(acc, v);
                            abs += Math.abs(v);
                        }
                        String where = "op " + op + " shape " + outer + "," + r + "," + inner + " at " + o + "," + i;
                        double tol32 = op == 1 ? 1e-6 * r * Math.abs(acc) : op == 0 ? 1e-6 * abs : 0;
                        double tol64 = op == 1 ? 1e-14 * r * Math.abs(acc) : op == 0 ? 1e-14 * abs : 0;
                        assertEquals((float) acc, y[1 + o * inner + i], tol32, "f32 " + where);
                        assertEquals(acc, yd[1 + o * inner + i], tol64, "f64 " + where);
                    }
                }
            }
        }
    }

    @Test
    void sumOf16MillionFloatsIsAccurate() {
        int n = 1 << 24;
        float[] x = new float[n];
        Random rnd = new Random(6);
        double ref = 0;
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat();
            ref += x[i];
        }
        float[] y = new float[1];
        ReduceKernels.sumF32(x, 0, 1, n, 1, y, 0);
        assertEquals(ref, y[0], 1e-6 * ref, "full sum");
        float[] cols = new float[4];
        ReduceKernels.sumF32(x, 0, 1, n / 4, 4, cols, 0); // narrow columns, long r: the r-split path
        double[] colRef = new double[4];
        for (int i = 0; i < n; i++) colRef[i % 4] += x[i];
        for (int j = 0; j < 4; j++) assertEquals(colRef[j], cols[j], 1e-6 * colRef[j], "column " + j);
    }

    @Test
    void maxAndMinPropagateNaNAndEmptyGivesIdentity() {
        Random rnd = new Random(8);
        for (int[] s : SHAPES) {
            int outer = s[0], r = s[1], inner = s[2], n = outer * r * inner;
            if (n == 0) continue;
            float[] x = data(rnd, n, false);
            int at = rnd.nextInt(n);
            x[at] = Float.NaN;
            int o = at / (r * inner), i = at % inner;
            float[] y = new float[outer * inner];
            ReduceKernels.maxF32(x, 0, outer, r, inner, y, 0);
            assertTrue(Float.isNaN(y[o * inner + i]), "max NaN at " + java.util.Arrays.toString(s));
            ReduceKernels.minF32(x, 0, outer, r, inner, y, 0);
            assertTrue(Float.isNaN(y[o * inner + i]), "min NaN");
            ReduceKernels.sumF32(x, 0, outer, r, inner, y, 0);
            assertTrue(Float.isNaN(y[o * inner + i]), "sum NaN");
        }
        float[] inf = new float[100]; // +inf and -inf together turn the NaN probe NaN without a NaN
        inf[10] = Float.POSITIVE_INFINITY;
        inf[50] = Float.NEGATIVE_INFINITY;
        float[] one = new float[1];
        ReduceKernels.maxF32(inf, 0, 1, 100, 1, one, 0);
        assertEquals(Float.POSITIVE_INFINITY, one[0]);
        ReduceKernels.minF32(inf, 0, 1, 100, 1, one, 0);
        assertEquals(Float.NEGATIVE_INFINITY, one[0]);
        double[] infd = new double[100], oned = new double[1];
        infd[10] = Double.POSITIVE_INFINITY;
        infd[50] = Double.NEGATIVE_INFINITY;
        ReduceKernels.maxF64(infd, 0, 1, 100, 1, oned, 0);
        assertEquals(Double.POSITIVE_INFINITY, oned[0]);
        float[] y = {7, 7};
        ReduceKernels.maxF32(new float[0], 0, 2, 0, 1, y, 0);
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, y);
        ReduceKernels.minF32(new float[0], 0, 2, 0, 1, y, 0);
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY}, y);
        ReduceKernels.prodF32(new float[0], 0, 2, 0, 1, y, 0);
        assertArrayEquals(new float[] {1, 1}, y);
        ReduceKernels.sumF32(new float[0], 0, 2, 0, 1, y, 0);
        assertArrayEquals(new float[] {0, 0}, y);
    }

    @Test
    void argmaxAndArgminTakeTheFirstIndexAndNaN() {
        Random rnd = new Random(9);
        for (int[] s : SHAPES) {
            int outer = s[0], r = s[1], inner = s[2], n = outer * r * inner, m = outer * inner;
            if (r == 0) continue;
            for (int trial = 0; trial < 2; trial++) {
                float[] x = new float[n];
                for (int i = 0; i < n; i++) x[i] = rnd.nextInt(20); // many ties
                if (trial == 1 && n > 0) {
                    for (int j = 0; j < 3; j++) x[rnd.nextInt(n)] = Float.NaN;
                }
                double[] xd = new double[n];
                for (int i = 0; i < n; i++) xd[i] = x[i];
                long[] ymax = new long[m], ymin = new long[m], dmax = new long[m], dmin = new long[m];
                ReduceKernels.argmaxF32(x, 0, outer, r, inner, ymax, 0);
                ReduceKernels.argminF32(x, 0, outer, r, inner, ymin, 0);
                ReduceKernels.argmaxF64(xd, 0, outer, r, inner, dmax, 0);
                ReduceKernels.argminF64(xd, 0, outer, r, inner, dmin, 0);
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        int bestMax = 0, bestMin = 0;
                        for (int k = 1; k < r; k++) {
                            float v = x[(o * r + k) * inner + i];
                            float cmax = x[(o * r + bestMax) * inner + i], cmin = x[(o * r + bestMin) * inner + i];
                            if (!Float.isNaN(cmax) && (Float.isNaN(v) || v > cmax)) bestMax = k;
                            if (!Float.isNaN(cmin) && (Float.isNaN(v) || v < cmin)) bestMin = k;
                        }
                        String where = java.util.Arrays.toString(s) + " at " + o + "," + i;
                        assertEquals(bestMax, ymax[o * inner + i], "argmax f32 " + where);
                        assertEquals(bestMin, ymin[o * inner + i], "argmin f32 " + where);
                        assertEquals(bestMax, dmax[o * inner + i], "argmax f64 " + where);
                        assertEquals(bestMin, dmin[o * inner + i], "argmin f64 " + where);
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ReduceKernels.argmaxF32(new float[0], 0, 1, 0, 1, new long[1], 0));
    }

    @Test
    void integerReductions() {
        Random rnd = new Random(10);
        for (int[] s : SHAPES) {
            int outer = s[0], r = s[1], inner = s[2], n = outer * r * inner, m = outer * inner;
            int[] x = new int[n];
            long[] xl = new long[n];
            for (int i = 0; i < n; i++) {
                x[i] = rnd.nextInt() >> 2;
                xl[i] = x[i] * 3L;
            }
            long[] sum = new long[m], prod = new long[m], suml = new long[m], prodl = new long[m], maxl = new long[m], minl = new long[m];
            int[] max = new int[m], min = new int[m];
            ReduceKernels.sumI32(x, 0, outer, r, inner, sum, 0);
            ReduceKernels.prodI32(x, 0, outer, r, inner, prod, 0);
            ReduceKernels.maxI32(x, 0, outer, r, inner, max, 0);
            ReduceKernels.minI32(x, 0, outer, r, inner, min, 0);
            ReduceKernels.sumI64(xl, 0, outer, r, inner, suml, 0);
            ReduceKernels.prodI64(xl, 0, outer, r, inner, prodl, 0);
            ReduceKernels.maxI64(xl, 0, outer, r, inner, maxl, 0);
            ReduceKernels.minI64(xl, 0, outer, r, inner, minl, 0);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    long s1 = 0, p1 = 1, s2 = 0, p2 = 1, mx2 = Long.MIN_VALUE, mn2 = Long.MAX_VALUE;
                    int mx = Integer.MIN_VALUE, mn = Integer.MAX_VALUE;
                    for (int k = 0; k < r; k++) {
                        int p = (o * r + k) * inner + i;
                        s1 += x[p];
                        p1 *= x[p];
                        mx = Math.max(mx, x[p]);
                        mn = Math.min(mn, x[p]);
                        s2 += xl[p];
                        p2 *= xl[p];
                        mx2 = Math.max(mx2, xl[p]);
                        mn2 = Math.min(mn2, xl[p]);
                    }
                    int j = o * inner + i;
                    assertEquals(s1, sum[j]);
                    assertEquals(p1, prod[j]);
                    assertEquals(mx, max[j]);
                    assertEquals(mn, min[j]);
                    assertEquals(s2, suml[j]);
                    assertEquals(p2, prodl[j]);
                    assertEquals(mx2, maxl[j]);
                    assertEquals(mn2, minl[j]);
                }
            }
        }
    }

    /** Large integer reductions take the SIMD and parallel paths; int32 sums must not wrap in int. */
    @Test
    void largeIntegerReductionsAreExact() {
        Random rnd = new Random(11);
        int n = 3_000_003;
        int[] x = new int[n];
        long[] xl = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = Integer.MAX_VALUE - rnd.nextInt(1000);
            xl[i] = rnd.nextLong();
        }
        x[n / 2] = Integer.MIN_VALUE;
        long want = 0, wantL = 0;
        for (int i = 0; i < n; i++) {
            want += x[i];
            wantL += xl[i];
        }
        int before = Parallel.numThreads();
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setNumThreads(threads);
            try {
                long[] y = new long[1];
                ReduceKernels.sumI32(x, 0, 1, n, 1, y, 0);
                assertEquals(want, y[0], "int32 sum in int64, threads " + threads);
                ReduceKernels.sumI64(xl, 0, 1, n, 1, y, 0);
                assertEquals(wantL, y[0], "int64 sum wraps like PyTorch's");
                int[] m = new int[1];
                ReduceKernels.minI32(x, 0, 1, n, 1, m, 0);
                assertEquals(Integer.MIN_VALUE, m[0]);
                ReduceKernels.maxI32(x, 0, 1, n, 1, m, 0);
                assertEquals(Integer.MAX_VALUE, m[0] | 0x3ff, "within 1000 of MAX_VALUE");
                long[] rows = new long[3]; // few rows, and columns
                ReduceKernels.sumI32(x, 0, 3, n / 3, 1, rows, 0);
                for (int o = 0; o < 3; o++) {
                    long s = 0;
                    for (int k = 0; k < n / 3; k++) s += x[o * (n / 3) + k];
                    assertEquals(s, rows[o]);
                }
                long[] cols = new long[3];
                ReduceKernels.sumI32(x, 0, 1, n / 3, 3, cols, 0);
                for (int i = 0; i < 3; i++) {
                    long s = 0;
                    for (int k = 0; k < n / 3; k++) s += x[k * 3 + i];
                    assertEquals(s, cols[i]);
                }
            } finally {
                Parallel.setNumThreads(before);
            }
        }
    }
}
