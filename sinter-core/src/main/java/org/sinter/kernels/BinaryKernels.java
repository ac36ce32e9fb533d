package org.sinter.kernels;

import java.util.Arrays;

/**
 * Elementwise functions of two arrays: {@code y[yOff + i] = fn(a[aOff + i*aStride], b[bOff + i*bStride])}.
 * The output is contiguous. Strides of 0 (broadcast) and 1 run the SIMD loops of {@link BinaryLoops};
 * other strides run a scalar loop. Writing into an input (same offset, stride 1) is supported.
 *
 * <p>Integer kernels implement ADD, SUB, MUL, MAXIMUM, MINIMUM, POW, REMAINDER, FLOOR_DIVIDE and
 * FMOD; DIV and ATAN2 are true divisions, for which the caller promotes to a floating type. Integer
 * division by zero throws {@link ArithmeticException} (PyTorch's ZeroDivisionError), and so does a
 * negative integer exponent. Integer arithmetic wraps like Java's (and PyTorch's).
 */
public final class BinaryKernels {
    private BinaryKernels() {}

    public static void f32(BinaryFn fn, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                           float[] y, int yOff, int n) {
        check("BinaryKernels.f32", fn, a.length, aOff, aStride, b.length, bOff, bStride, y.length, yOff, n);
        if (n == 0) return;
        if (fn == BinaryFn.POW && bStride == 0) { // pow(Tensor, Scalar): PyTorch's special exponents
            UnaryKernels.f32(UnaryFn.POW_SCALAR, b[bOff], 0, a, aOff, aStride, y, yOff, n);
        } else if (aStride == 0 && bStride == 0) {
            Arrays.fill(y, yOff, yOff + n, ScalarMath.binary(fn, a[aOff], b[bOff]));
        } else if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) ->
                    f32Serial(fn, a, aOff + s * aStride, aStride, b, bOff + s * bStride, bStride, y, yOff + s, e - s));
        } else {
            f32Serial(fn, a, aOff, aStride, b, bOff, bStride, y, yOff, n);
        }
    }

    public static void f64(BinaryFn fn, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                           double[] y, int yOff, int n) {
        check("BinaryKernels.f64", fn, a.length, aOff, aStride, b.length, bOff, bStride, y.length, yOff, n);
        if (n == 0) return;
        if (fn == BinaryFn.POW && bStride == 0) {
            UnaryKernels.f64(UnaryFn.POW_SCALAR, b[bOff], 0, a, aOff, aStride, y, yOff, n);
        } else if (aStride == 0 && bStride == 0) {
            Arrays.fill(y, yOff, yOff + n, ScalarMath.binary(fn, a[aOff], b[bOff]));
        } else if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) ->
                    f64Serial(fn, a, aOff + s * aStride, aStride, b, bOff + s * bStride, bStride, y, yOff + s, e - s));
        } else {
            f64Serial(fn, a, aOff, aStride, b, bOff, bStride, y, yOff, n);
        }
    }

    public static void i32(BinaryFn fn, int[] a, int aOff, int aStride, int[] b, int bOff, int bStride,
                           int[] y, int yOff, int n) {
        check("BinaryKernels.i32", fn, a.length, aOff, aStride, b.length, bOff, bStride, y.length, yOff, n);
        checkInteger(fn, n > 0 && bStride == 0 ? b[bOff] : 1);
        if (n == 0) return;
        if (aStride == 0 && bStride == 0) {
            Arrays.fill(y, yOff, yOff + n, ScalarMath.binary(fn, a[aOff], b[bOff]));
        } else if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) ->
                    i32Serial(fn, a, aOff + s * aStride, aStride, b, bOff + s * bStride, bStride, y, yOff + s, e - s));
        } else {
            i32Serial(fn, a, aOff, aStride, b, bOff, bStride, y, yOff, n);
        }
    }

    public static void i64(BinaryFn fn, long[] a, int aOff, int aStride, long[] b, int bOff, int bStride,
                           long[] y, int yOff, int n) {
        check("BinaryKernels.i64", fn, a.length, aOff, aStride, b.length, bOff, bStride, y.length, yOff, n);
        checkInteger(fn, n > 0 && bStride == 0 ? b[bOff] : 1);
        if (n == 0) return;
        if (aStride == 0 && bStride == 0) {
            Arrays.fill(y, yOff, yOff + n, ScalarMath.binary(fn, a[aOff], b[bOff]));
        } else if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) ->
                    i64Serial(fn, a, aOff + s * aStride, aStride, b, bOff + s * bStride, bStride, y, yOff + s, e - s));
        } else {
            i64Serial(fn, a, aOff, aStride, b, bOff, bStride, y, yOff, n);
        }
    }

    private static boolean simd(Object loop, int as, int bs) {
        return loop != null && (as == 0 || as == 1) && (bs == 0 || bs == 1);
    }

    private static void f32Serial(BinaryFn fn, float[] a, int ao, int as, float[] b, int bo, int bs, float[] y, int yo, int n) {
        BinaryLoops.F32 loop = BinaryLoops.F32[fn.ordinal()];
        int i = simd(loop, as, bs) ? loop.run(a, ao, as, b, bo, bs, y, yo, n) : 0;
        for (; i < n; i++) y[yo + i] = ScalarMath.binary(fn, a[ao + i * as], b[bo + i * bs]);
    }

    private static void f64Serial(BinaryFn fn, double[] a, int ao, int as, double[] b, int bo, int bs, double[] y, int yo, int n) {
        BinaryLoops.F64 loop = BinaryLoops.F64[fn.ordinal()];
        int i = simd(loop, as, bs) ? loop.run(a, ao, as, b, bo, bs, y, yo, n) : 0;
        for (; i < n; i++) y[yo + i] = ScalarMath.binary(fn, a[ao + i * as], b[bo + i * bs]);
    }

    private static void i32Serial(BinaryFn fn, int[] a, int ao, int as, int[] b, int bo, int bs, int[] y, int yo, int n) {
        BinaryLoops.I32 loop = BinaryLoops.I32[fn.ordinal()];
        int i = simd(loop, as, bs) ? loop.run(a, ao, as, b, bo, bs, y, yo, n) : 0;
        for (; i < n; i++) y[yo + i] = ScalarMath.binary(fn, a[ao + i * as], b[bo + i * bs]);
    }

    private static void i64Serial(BinaryFn fn, long[] a, int ao, int as, long[] b, int bo, int bs, long[] y, int yo, int n) {
        BinaryLoops.I64 loop = BinaryLoops.I64[fn.ordinal()];
        int i = simd(loop, as, bs) ? loop.run(a, ao, as, b, bo, bs, y, yo, n) : 0;
        for (; i < n; i++) y[yo + i] = ScalarMath.binary(fn, a[ao + i * as], b[bo + i * bs]);
    }

    /** Rejects functions integers do not have, and a negative scalar exponent, before any work. */
    private static void checkInteger(BinaryFn fn, long scalarB) {
        if (fn == BinaryFn.DIV || fn == BinaryFn.ATAN2) throw ScalarMath.notForIntegers(fn);
        if (fn == BinaryFn.POW && scalarB < 0) ScalarMath.powInt(1, scalarB); // throws the PyTorch message
        if (scalarB == 0 && (fn == BinaryFn.REMAINDER || fn == BinaryFn.FLOOR_DIVIDE || fn == BinaryFn.FMOD)) {
            ScalarMath.binary(fn, 1L, 0L); // throws the division-by-zero message
        }
    }

    private static void check(String kernel, BinaryFn fn, int aLen, int aOff, int aStride, int bLen, int bOff, int bStride,
                              int yLen, int yOff, int n) {
        Checks.strided(kernel, fn, "a", aLen, aOff, aStride, n);
        Checks.strided(kernel, fn, "b", bLen, bOff, bStride, n);
        Checks.contiguous(kernel, fn, "y", yLen, yOff, n);
    }
}
