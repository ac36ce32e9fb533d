package org.sinter.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxCumsumConvertTest {
    static final int[][] SHAPES = {{0, 3, 1}, {1, 1, 1}, {1, 7, 1}, {2, 9, 1}, {3, 33, 1}, {2, 5, 3}, {2, 17, 19},
            {1, 40, 1500}, {300, 300, 1}, {4, 100, 200}};

    @Test
    void softmaxAndLogSoftmax() {
        Random rnd = new Random(11);
        for (int[] s : SHAPES) {
            int outer = s[0], r = s[1], inner = s[2], n = outer * r * inner;
            float[] x = new float[n + 2];
            for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * 5 + 50); // large values: needs the max shift
            double[] xd = new double[x.length];
            for (int i = 0; i < x.length; i++) xd[i] = x[i];
            float[] y = new float[n + 1], ly = new float[n + 1];
            double[] yd = new double[n + 1], lyd = new double[n + 1];
            SoftmaxKernels.softmaxF32(x, 2, outer, r, inner, y, 1);
            SoftmaxKernels.logSoftmaxF32(x, 2, outer, r, inner, ly, 1);
            SoftmaxKernels.softmaxF64(xd, 2, outer, r, inner, yd, 1);
            SoftmaxKernels.logSoftmaxF64(xd, 2, outer, r, inner, lyd, 1);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    double m = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int k = 0; k < r; k++) m = Math.max(m, x[2 + (o * r + k) * inner + i]);
                    for (int k = 0; k < r; k++) sum += Math.exp(x[2 + (o * r + k) * inner + i] - m);
                    for (int k = 0; k < r; k++) {
                        int p = (o * r + k) * inner + i;
                        double want = Math.exp(x[2 + p] - m) / sum, logWant = x[2 + p] - m - Math.log(sum);
                        String where = java.util.Arrays.toString(s) + " at " + p;
                        assertEquals(want, y[1 + p], 1e-6 * want + 1e-9, "softmax f32 " + where);
                        assertEquals(logWant, ly[1 + p], 2e-6 * (1 + Math.abs(logWant)), "log_softmax f32 " + where);
                        assertEquals(want, yd[1 + p], 1e-13 * want, "softmax f64 " + where);
                        assertEquals(logWant, lyd[1 + p], 1e-13 * (1 + Math.abs(logWant)), "log_softmax f64 " + where);
                    }
                }
            }
        }
        float[] nan = {1, Float.NaN, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] out = new float[10];
        SoftmaxKernels.softmaxF32(nan, 0, 1, 10, 1, out, 0);
        for (float v : out) assertTrue(Float.isNaN(v), "a NaN makes its slice NaN");
        float[] inPlace = {1, 2, 3};
        SoftmaxKernels.softmaxF32(inPlace, 0, 1, 3, 1, inPlace, 0);
        assertEquals(1.0, inPlace[0] + inPlace[1] + inPlace[2], 1e-6);
    }

    @Test
    void cumsumAndCumprod() {
        Random rnd = new Random(12);
        for (int[] s : SHAPES) {
            int outer = s[0], r = s[1], inner = s[2], n = outer * r * inner;
            float[] x = new float[n];
            double[] xd = new double[n];
            long[] xl = new long[n];
            for (int i = 0; i < n; i++) {
                x[i] = 1 + (float) rnd.nextGaussian() * 0.01f;
                xd[i] = x[i];
                xl[i] = rnd.nextInt(7) - 3;
            }
            float[] cs = new float[n], cp = new float[n];
            double[] csd = new double[n], cpd = new double[n];
            long[] csl = new long[n], cpl = new long[n];
            CumsumKernels.cumsumF32(x, 0, outer, r, inner, cs, 0);
            CumsumKernels.cumprodF32(x, 0, outer, r, inner, cp, 0);
            CumsumKernels.cumsumF64(xd, 0, outer, r, inner, csd, 0);
            CumsumKernels.cumprodF64(xd, 0, outer, r, inner, cpd, 0);
            CumsumKernels.cumsumI64(xl, 0, outer, r, inner, csl, 0);
            CumsumKernels.cumprodI64(xl, 0, outer, r, inner, cpl, 0);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    double sum = 0, prod = 1;
                    long lsum = 0, lprod = 1;
                    for (int k = 0; k < r; k++) {
                        int p = (o * r + k) * inner + i;
                        sum += x[p];
                        prod *= x[p];
                        lsum += xl[p];
                        lprod *= xl[p];
                        assertEquals((float) sum, cs[p], "cumsum f32 accumulates in double");
                        assertEquals(prod, cp[p], 1e-6 * Math.abs(prod), "cumprod f32");
                        assertEquals(sum, csd[p], 1e-12 * (k + 1));
                        assertEquals(prod, cpd[p], 1e-12 * Math.abs(prod));
                        assertEquals(lsum, csl[p]);
                        assertEquals(lprod, cpl[p]);
                    }
                }
            }
            CumsumKernels.cumsumF32(x, 0, outer, r, inner, x, 0); // in place
            assertArrayEquals(cs, x);
        }
    }

    @Test
    void conversions() {
        float[] f = {1.9f, -1.9f, 0.5f, -0f, Float.NaN, 3e9f, 1.00390625f, 1.01171875f, 65520f, 1e-8f, Float.NEGATIVE_INFINITY};
        int[] i32 = new int[f.length];
        ConvertKernels.f32ToI32(f, 0, 1, i32, 0, f.length);
        assertArrayEquals(new int[] {1, -1, 0, 0, 0, Integer.MAX_VALUE, 1, 1, 65520, 0, Integer.MIN_VALUE}, i32, "truncates toward zero");
        byte[] b = new byte[f.length];
        ConvertKernels.f32ToBool(f, 0, 1, b, 0, f.length);
        assertArrayEquals(new byte[] {1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1}, b, "nonzero and NaN are true");
        short[] bf = new short[f.length];
        ConvertKernels.f32ToBF16(f, 0, 1, bf, 0, f.length);
        assertEquals(0x3f80, bf[6], "1.00390625 is a tie: rounds to even 1.0");
        assertEquals(16258, bf[7], "1.01171875 is a tie: rounds to even (PyTorch 16258)");
        assertTrue(Float.isNaN(ConvertKernels.bf16ToFloat(bf[4])), "NaN stays NaN");
        assertEquals(Float.NEGATIVE_INFINITY, ConvertKernels.bf16ToFloat(bf[10]));
        short[] h = new short[f.length];
        ConvertKernels.f32ToF16(f, 0, 1, h, 0, f.length);
        for (int i = 0; i < f.length; i++) assertEquals(Float.floatToFloat16(f[i]), h[i]);
        assertEquals(Float.POSITIVE_INFINITY, Float.float16ToFloat(h[8]), "65520 rounds to inf in half");
        float[] back = new float[f.length];
        ConvertKernels.f16ToF32(h, 0, 1, back, 0, f.length);
        assertEquals(1.00390625f, back[6], "exact in half");
        // strided and broadcast sources; parallel length
        int n = 70_001;
        long[] src = new long[2 * n];
        for (int i = 0; i < src.length; i++) src[i] = i * 3_000_000_000L;
        double[] d = new double[n];
        ConvertKernels.i64ToF64(src, 1, 2, d, 0, n);
        for (int i = 0; i < n; i++) assertEquals((double) src[1 + 2 * i], d[i]);
        int[] wrapped = new int[n];
        ConvertKernels.i64ToI32(src, 0, 0, wrapped, 0, n);
        ConvertKernels.i64ToI32(src, 5, 1, wrapped, 0, 3);
        assertEquals((int) src[5], wrapped[0], "long to int wraps");
        double[] dd = {1e300, -2.5, 0.1};
        float[] ff = new float[3];
        ConvertKernels.f64ToF32(dd, 0, 1, ff, 0, 3);
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, -2.5f, 0.1f}, ff);
        short[] hb = new short[3];
        ConvertKernels.f64ToBF16(dd, 2, -1, hb, 0, 3);
        assertEquals(ConvertKernels.floatToBf16(0.1f), hb[0]);
        byte[] bools = {0, 1, 1, 0};
        float[] fb = new float[4];
        ConvertKernels.boolToF32(bools, 0, 1, fb, 0, 4);
        assertArrayEquals(new float[] {0, 1, 1, 0}, fb);
        float[] copy = new float[3];
        ConvertKernels.f32ToF32(f, 0, 2, copy, 0, 3);
        assertArrayEquals(new float[] {1.9f, 0.5f, Float.NaN}, copy);
    }
}
