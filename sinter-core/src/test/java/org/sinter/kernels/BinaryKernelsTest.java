package org.sinter.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Binary kernels: every function, every stride case, against references written from the definitions. */
class BinaryKernelsTest {
    static final int[] SIZES = {0, 1, 7, 8, 9, 17, 33, 1000};
    /** (aStride, bStride) pairs; "in place" cases are run separately. */
    static final int[][] STRIDES = {{1, 1}, {0, 1}, {1, 0}, {0, 0}, {3, 2}, {1, 3}, {-1, 1}};

    static double ref(BinaryFn fn, double a, double b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAXIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case MINIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            case ATAN2 -> Math.atan2(a, b);
            // test inputs are small integers, where these definitions are exact
            case REMAINDER -> a - b * Math.floor(a / b);
            case FLOOR_DIVIDE -> Math.floor(a / b);
            case FMOD -> a - b * (a / b < 0 ? Math.ceil(a / b) : Math.floor(a / b));
        };
    }

    static boolean integerValued(BinaryFn fn) {
        return fn == BinaryFn.REMAINDER || fn == BinaryFn.FLOOR_DIVIDE || fn == BinaryFn.FMOD;
    }

    static float sample(Random rnd, BinaryFn fn, boolean divisor) {
        if (integerValued(fn)) {
            int v = rnd.nextInt(101) - 50;
            return divisor && v == 0 ? 7 : v;
        }
        if (fn == BinaryFn.POW) return divisor ? (float) (rnd.nextDouble() * 6 - 3) : (float) (rnd.nextDouble() * 4 + 0.01);
        return (float) (rnd.nextGaussian() * 10);
    }

    static void check32(BinaryFn fn, float a, float b, float got, String where) {
        double want = ref(fn, a, b);
        if (Double.isNaN(want)) {
            assertTrue(Float.isNaN(got), () -> fn + "(" + a + ", " + b + ") = " + got + " " + where);
            return;
        }
        float w = (float) want;
        assertTrue(got == w || Math.abs(got - want) <= 4 * Math.ulp(w),
                () -> fn + "(" + a + ", " + b + ") = " + got + ", want " + want + " " + where);
    }

    @Test
    void f32AndF64EveryFunctionAndStride() {
        Random rnd = new Random(1);
        for (BinaryFn fn : BinaryFn.values()) {
            for (int n : SIZES) {
                int len = 3 * n + 4;
                float[] a = new float[len], b = new float[len];
                for (int i = 0; i < len; i++) {
                    a[i] = sample(rnd, fn, false);
                    b[i] = sample(rnd, fn, true);
                }
                double[] ad = new double[len], bd = new double[len];
                for (int i = 0; i < len; i++) {
                    ad[i] = a[i];
                    bd[i] = b[i];
                }
                for (int[] s : STRIDES) {
                    int ao = s[0] < 0 ? n + 1 : 1, bo = 2;
                    float[] y = new float[n + 1];
                    double[] yd = new double[n + 1];
                    BinaryKernels.f32(fn, a, ao, s[0], b, bo, s[1], y, 1, n);
                    BinaryKernels.f64(fn, ad, ao, s[0], bd, bo, s[1], yd, 1, n);
                    for (int i = 0; i < n; i++) {
                        float ai = a[ao + i * s[0]], bi = b[bo + i * s[1]];
                        String where = "strides " + s[0] + "," + s[1] + " n=" + n + " i=" + i;
                        check32(fn, ai, bi, y[1 + i], where);
                        double want = fn == BinaryFn.POW || fn == BinaryFn.ATAN2 ? ref(fn, ai, bi) : ref(fn, ai, bi);
                        assertEquals(want, yd[1 + i], 4 * Math.ulp(want) + 1e-300, fn + " f64 " + where);
                    }
                }
                // in place: y is a
                float[] ac = a.clone();
                BinaryKernels.f32(fn, ac, 0, 1, b, 0, 1, ac, 0, n);
                for (int i = 0; i < n; i++) check32(fn, a[i], b[i], ac[i], "in place n=" + n);
            }
        }
    }

    @Test
    void largeArraysTakeTheParallelPath() {
        int n = 200_003;
        Random rnd = new Random(4);
        float[] a = new float[2 * n], b = new float[n], y = new float[n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < n; i++) b[i] = (float) rnd.nextGaussian();
        for (int[] s : new int[][] {{1, 1}, {2, 1}, {0, 1}}) {
            BinaryKernels.f32(BinaryFn.MUL, a, 1, s[0], b, 0, s[1], y, 0, n);
            for (int i = 0; i < n; i++) assertEquals(a[1 + i * s[0]] * b[i], y[i]);
        }
        long[] al = new long[n], yl = new long[n];
        for (int i = 0; i < n; i++) al[i] = rnd.nextLong();
        BinaryKernels.i64(BinaryFn.ADD, al, 0, 1, al, 0, 1, yl, 0, n);
        for (int i = 0; i < n; i++) assertEquals(al[i] * 2, yl[i]);
    }

    @Test
    void floatSpecialCasesMatchPyTorch() {
        // torch.remainder / floor_divide / fmod on these pairs (PyTorch 1.13)
        float[] a = {5, -5, 5, -5, 0, -0f, 1, Float.POSITIVE_INFINITY, 3, -0.5f, -3};
        float[] b = {3, 3, -3, -3, 3, 3, 0, 2, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] rem = {2, 1, -1, -2, 0, -0f, Float.NaN, Float.NaN, 3, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] fdiv = {1, -2, -2, 1, 0, -0f, Float.POSITIVE_INFINITY, Float.NaN, 0, -1, -1};
        float[] fmod = {2, -2, 2, -2, 0, -0f, Float.NaN, Float.NaN, 3, -0.5f, -3};
        float[] y = new float[a.length];
        BinaryKernels.f32(BinaryFn.REMAINDER, a, 0, 1, b, 0, 1, y, 0, a.length);
        assertArrayEquals(rem, y, "remainder");
        BinaryKernels.f32(BinaryFn.FLOOR_DIVIDE, a, 0, 1, b, 0, 1, y, 0, a.length);
        assertArrayEquals(fdiv, y, "floor_divide");
        BinaryKernels.f32(BinaryFn.FMOD, a, 0, 1, b, 0, 1, y, 0, a.length);
        assertArrayEquals(fmod, y, "fmod");
        float[] nanA = new float[20], nanB = new float[20];
        nanA[3] = Float.NaN;
        nanB[17] = Float.NaN;
        float[] out = new float[20];
        for (BinaryFn fn : new BinaryFn[] {BinaryFn.MAXIMUM, BinaryFn.MINIMUM}) {
            BinaryKernels.f32(fn, nanA, 0, 1, nanB, 0, 1, out, 0, 20);
            assertTrue(Float.isNaN(out[3]) && Float.isNaN(out[17]) && out[0] == 0, fn + " propagates NaN");
        }
    }

    @Test
    void integersEveryFunctionAndStride() {
        Random rnd = new Random(2);
        BinaryFn[] fns = {BinaryFn.ADD, BinaryFn.SUB, BinaryFn.MUL, BinaryFn.MAXIMUM, BinaryFn.MINIMUM, BinaryFn.POW,
                BinaryFn.REMAINDER, BinaryFn.FLOOR_DIVIDE, BinaryFn.FMOD};
        for (BinaryFn fn : fns) {
            for (int n : SIZES) {
                int len = 3 * n + 4;
                int[] a = new int[len], b = new int[len];
                long[] al = new long[len], bl = new long[len];
                for (int i = 0; i < len; i++) {
                    a[i] = fn == BinaryFn.POW ? rnd.nextInt(7) - 3 : rnd.nextInt();
                    b[i] = fn == BinaryFn.POW ? rnd.nextInt(12) : rnd.nextInt(2001) - 1000;
                    if (b[i] == 0 && fn != BinaryFn.POW) b[i] = 13;
                    al[i] = fn == BinaryFn.POW ? a[i] : a[i] * 4_000_000_000L;
                    bl[i] = b[i];
                }
                for (int[] s : STRIDES) {
                    int ao = s[0] < 0 ? n + 1 : 1, bo = 2;
                    int[] y = new int[n];
                    long[] yl = new long[n];
                    BinaryKernels.i32(fn, a, ao, s[0], b, bo, s[1], y, 0, n);
                    BinaryKernels.i64(fn, al, ao, s[0], bl, bo, s[1], yl, 0, n);
                    for (int i = 0; i < n; i++) {
                        int x = a[ao + i * s[0]], z = b[bo + i * s[1]];
                        long xl = al[ao + i * s[0]], zl = bl[bo + i * s[1]];
                        assertEquals(intRef(fn, x, z), y[i], fn + "(" + x + ", " + z + ")");
                        assertEquals(longRef(fn, xl, zl), yl[i], fn + "(" + xl + ", " + zl + ")");
                    }
                }
            }
        }
    }

    static int intRef(BinaryFn fn, int a, int b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case POW -> { int r = 1; for (int i = 0; i < b; i++) r *= a; yield r; }
            case REMAINDER -> Math.floorMod(a, b);
            case FLOOR_DIVIDE -> Math.floorDiv(a, b);
            case FMOD -> a % b;
            default -> throw new AssertionError();
        };
    }

    static long longRef(BinaryFn fn, long a, long b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case POW -> { long r = 1; for (int i = 0; i < b; i++) r *= a; yield r; }
            case REMAINDER -> Math.floorMod(a, b);
            case FLOOR_DIVIDE -> Math.floorDiv(a, b);
            case FMOD -> a % b;
            default -> throw new AssertionError();
        };
    }

    @Test
    void integerErrors() {
        int[] a = {5, -5, 5, -5}, z = {0, 1, 1, 1}, y = new int[4];
        for (BinaryFn fn : new BinaryFn[] {BinaryFn.REMAINDER, BinaryFn.FLOOR_DIVIDE, BinaryFn.FMOD}) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> BinaryKernels.i32(fn, a, 0, 1, z, 0, 1, y, 0, 4));
            assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
            assertThrows(ArithmeticException.class, () -> BinaryKernels.i64(fn, new long[] {1}, 0, 1, new long[] {0}, 0, 0, new long[1], 0, 1));
        }
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> BinaryKernels.i32(BinaryFn.POW, a, 0, 1, new int[] {-1}, 0, 0, y, 0, 4));
        assertTrue(e.getMessage().contains("negative integer powers"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BinaryKernels.i32(BinaryFn.DIV, a, 0, 1, a, 0, 1, y, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> BinaryKernels.i64(BinaryFn.ATAN2, new long[1], 0, 1, new long[1], 0, 1, new long[1], 0, 1));
        assertArrayEquals(new int[] {2, 1, -1, -2}, y(BinaryFn.REMAINDER, new int[] {5, -5, 5, -5}, new int[] {3, 3, -3, -3}));
        assertArrayEquals(new int[] {1, -2, -2, 1}, y(BinaryFn.FLOOR_DIVIDE, new int[] {5, -5, 5, -5}, new int[] {3, 3, -3, -3}));
        assertArrayEquals(new int[] {2, -2, 2, -2}, y(BinaryFn.FMOD, new int[] {5, -5, 5, -5}, new int[] {3, 3, -3, -3}));
    }

    static int[] y(BinaryFn fn, int[] a, int[] b) {
        int[] y = new int[a.length];
        BinaryKernels.i32(fn, a, 0, 1, b, 0, 1, y, 0, a.length);
        return y;
    }
}
