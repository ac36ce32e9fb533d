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

    /** and/or/xor/not on every input dtype, in one pass: truth is v != 0 (NaN true, -0 false). */
    @Test
    void logicalOnAnyDtype() {
        Random rnd = new Random(9);
        int n = 1000;
        float[] vals = {0f, -0f, 1f, -2.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE};
        float[] af = new float[n], bf = new float[n];
        for (int i = 0; i < n; i++) {
            af[i] = vals[rnd.nextInt(vals.length)];
            bf[i] = vals[rnd.nextInt(vals.length)];
        }
        double[] ad = new double[n], bd = new double[n];
        int[] ai = new int[n], bi = new int[n];
        long[] al = new long[n], bl = new long[n];
        for (int i = 0; i < n; i++) {
            ad[i] = af[i];
            bd[i] = bf[i];
            ai[i] = af[i] != 0 ? 1 + rnd.nextInt(5) : 0;
            bi[i] = bf[i] != 0 ? -1 - rnd.nextInt(5) : 0;
            al[i] = ai[i] * (1L << 40);
            bl[i] = bi[i] * (1L << 33);
        }
        for (int stride : new int[] {1, 0, 3}) {
            int m = stride == 3 ? n / 3 : n;
            byte[] want = new byte[m], y = new byte[m];
            for (String fn : new String[] {"and", "or", "xor", "not"}) {
                for (int i = 0; i < m; i++) {
                    boolean a = af[i * stride] != 0, b = bf[i] != 0;
                    boolean r = switch (fn) {
                        case "and" -> a && b;
                        case "or" -> a || b;
                        case "xor" -> a ^ b;
                        default -> !a;
                    };
                    want[i] = (byte) (r ? 1 : 0);
                }
                String where = fn + " stride " + stride;
                switch (fn) {
                    case "and" -> {
                        LogicalKernels.and(af, 0, stride, bf, 0, 1, y, 0, m);
                        assertArrayEquals(want, y, where + " f32");
                        LogicalKernels.and(ad, 0, stride, bd, 0, 1, y, 0, m);
                        assertArrayEquals(want, y, where + " f64");
                        LogicalKernels.and(ai, 0, stride, bi, 0, 1, y, 0, m);
                        assertArrayEquals(want, y, where + " i32");
                        LogicalKernels.and(bl, 0, 1, al, 0, stride, y, 0, m); // operands swapped: symmetric
                        assertArrayEquals(want, y, where + " i64");
                    }
                    case "or" -> {
                        LogicalKernels.or(af, 0, stride, bf, 0, 1, y, 0, m);
                        assertArrayEquals(want, y, where + " f32");
                        LogicalKernels.or(al, 0, stride, bl, 0, 1, y, 0, m);
                        assertArrayEquals(want, y, where + " i64");
                    }
                    case "xor" -> {
                        LogicalKernels.xor(ad, 0, stride, bd, 0, 1, y, 0, m);
                        assertArrayEquals(want, y, where + " f64");
                        LogicalKernels.xor(ai, 0, stride, bi, 0, 1, y, 0, m);
                        assertArrayEquals(want, y, where + " i32");
                    }
                    default -> {
                        LogicalKernels.not(af, 0, stride, y, 0, m);
                        assertArrayEquals(want, y, where + " f32");
                        LogicalKernels.not(al, 0, stride, y, 0, m);
                        assertArrayEquals(want, y, where + " i64");
                    }
                }
            }
        }
        byte[] y = new byte[n];
        LogicalKernels.xor(af, 0, 1, new float[] {Float.NaN}, 0, 0, y, 0, n); // a true constant: xor is not
        for (int i = 0; i < n; i++) assertEquals(af[i] != 0 ? 0 : 1, y[i]);
    }
}
