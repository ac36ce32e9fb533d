package org.sinter.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CompareAndLogicalKernelsTest {
    static final int[] SIZES = {0, 1, 3, 4, 5, 7, 8, 9, 31, 32, 33, 100, 200_003};
    static final int[][] STRIDES = {{1, 1}, {0, 1}, {1, 0}, {0, 0}, {2, 3}, {1, 2}};

    static boolean ref(CompareFn fn, double a, double b) {
        return switch (fn) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
        };
    }

    @Test
    void everyTypeFunctionAndStride() {
        Random rnd = new Random(3);
        for (int n : SIZES) {
            if (n > 1000) continue; // the parallel size: see largeArraysTakeTheParallelPath
            int len = 3 * n + 4;
            float[] af = new float[len], bf = new float[len];
            double[] ad = new double[len], bd = new double[len];
            int[] ai = new int[len], bi = new int[len];
            long[] al = new long[len], bl = new long[len];
            byte[] au = new byte[len], bu = new byte[len];
            for (int i = 0; i < len; i++) {
                int x = rnd.nextInt(5) - 2, z = rnd.nextInt(5) - 2;
                af[i] = rnd.nextInt(10) == 0 ? Float.NaN : x;
                bf[i] = z;
                ad[i] = af[i];
                bd[i] = rnd.nextInt(10) == 0 ? Double.NaN : z;
                ai[i] = x;
                bi[i] = z;
                al[i] = x * 10_000_000_000L;
                bl[i] = z * 10_000_000_000L;
                au[i] = (byte) (x * 100); // as unsigned: 0, 100, 200, 56, 156
                bu[i] = (byte) (z * 100);
            }
            for (CompareFn fn : CompareFn.values()) {
                for (int[] s : STRIDES) {
                    byte[] y = new byte[n + 2];
                    String where = fn + " strides " + s[0] + "," + s[1] + " n=" + n;
                    CompareKernels.f32(fn, af, 1, s[0], bf, 2, s[1], y, 1, n);
                    for (int i = 0; i < n; i++) assertEquals(ref(fn, af[1 + i * s[0]], bf[2 + i * s[1]]) ? 1 : 0, y[1 + i], "f32 " + where);
                    CompareKernels.f64(fn, ad, 1, s[0], bd, 2, s[1], y, 1, n);
                    for (int i = 0; i < n; i++) assertEquals(ref(fn, ad[1 + i * s[0]], bd[2 + i * s[1]]) ? 1 : 0, y[1 + i], "f64 " + where);
                    CompareKernels.i32(fn, ai, 1, s[0], bi, 2, s[1], y, 1, n);
                    for (int i = 0; i < n; i++) assertEquals(ref(fn, ai[1 + i * s[0]], bi[2 + i * s[1]]) ? 1 : 0, y[1 + i], "i32 " + where);
                    CompareKernels.i64(fn, al, 1, s[0], bl, 2, s[1], y, 1, n);
                    for (int i = 0; i < n; i++) assertEquals(ref(fn, al[1 + i * s[0]], bl[2 + i * s[1]]) ? 1 : 0, y[1 + i], "i64 " + where);
                    CompareKernels.u8(fn, au, 1, s[0], bu, 2, s[1], y, 1, n);
                    for (int i = 0; i < n; i++) {
                        int x = Byte.toUnsignedInt(au[1 + i * s[0]]), z = Byte.toUnsignedInt(bu[2 + i * s[1]]);
                        assertEquals(ref(fn, x, z) ? 1 : 0, y[1 + i], "u8 " + where);
                    }
                    assertEquals(0, y[0], "nothing written before yOff");
                    assertEquals(0, y[n + 1], "nothing written past the end");
                }
            }
        }
    }

    @Test
    void largeArraysTakeTheParallelPath() {
        int n = 200_003;
        Random rnd = new Random(5);
        float[] a = new float[n], b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextInt(3);
            b[i] = rnd.nextInt(3);
        }
        byte[] y = new byte[n];
        CompareKernels.f32(CompareFn.LT, a, 0, 1, b, 0, 1, y, 0, n);
        for (int i = 0; i < n; i++) assertEquals(a[i] < b[i] ? 1 : 0, y[i]);
        CompareKernels.f32(CompareFn.GE, a, 0, 0, b, 0, 1, y, 0, n); // broadcast left operand: mirrored
        for (int i = 0; i < n; i++) assertEquals(a[0] >= b[i] ? 1 : 0, y[i]);
    }

    @Test
    void logicalEveryFunctionAndStride() {
        Random rnd = new Random(4);
        for (int n : SIZES) {
            int len = 3 * n + 4;
            byte[] a = new byte[len], b = new byte[len];
            for (int i = 0; i < len; i++) {
                a[i] = (byte) (rnd.nextBoolean() ? 0 : rnd.nextInt(256)); // any nonzero byte is true
                b[i] = (byte) rnd.nextInt(2);
            }
            for (int[] s : STRIDES) {
                byte[] y = new byte[n];
                for (int op = 0; op < 3; op++) {
                    if (op == 0) LogicalKernels.and(a, 1, s[0], b, 2, s[1], y, 0, n);
                    if (op == 1) LogicalKernels.or(a, 1, s[0], b, 2, s[1], y, 0, n);
                    if (op == 2) LogicalKernels.xor(a, 1, s[0], b, 2, s[1], y, 0, n);
                    for (int i = 0; i < n; i++) {
                        boolean x = a[1 + i * s[0]] != 0, z = b[2 + i * s[1]] != 0;
                        boolean want = op == 0 ? x & z : op == 1 ? x | z : x ^ z;
                        assertEquals(want ? 1 : 0, y[i], "op " + op + " strides " + s[0] + "," + s[1] + " n=" + n + " i=" + i);
                    }
                }
                LogicalKernels.not(a, 1, s[0], y, 0, n);
                for (int i = 0; i < n; i++) assertEquals(a[1 + i * s[0]] == 0 ? 1 : 0, y[i], "not");
            }
        }
    }
}
