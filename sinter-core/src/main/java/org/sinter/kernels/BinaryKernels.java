package org.sinter.kernels;

/** TEMPORARY scalar binary kernels (replaced by the SIMD kernels). */
public final class BinaryKernels {
    private BinaryKernels() {}

    public static void f32(BinaryFn fn, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = (float) apply(fn, a[aOff + i * aStride], b[bOff + i * bStride]);
    }

    public static void f64(BinaryFn fn, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = apply(fn, a[aOff + i * aStride], b[bOff + i * bStride]);
    }

    public static void i32(BinaryFn fn, int[] a, int aOff, int aStride, int[] b, int bOff, int bStride, int[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = (int) applyLong(fn, a[aOff + i * aStride], b[bOff + i * bStride]);
    }

    public static void i64(BinaryFn fn, long[] a, int aOff, int aStride, long[] b, int bOff, int bStride, long[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = applyLong(fn, a[aOff + i * aStride], b[bOff + i * bStride]);
    }

    static double apply(BinaryFn fn, double a, double b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAXIMUM -> a != a || b != b ? Double.NaN : Math.max(a, b);
            case MINIMUM -> a != a || b != b ? Double.NaN : Math.min(a, b);
            case ATAN2 -> Math.atan2(a, b);
            case REMAINDER -> { double r = a % b; yield r != 0 && (r < 0) != (b < 0) ? r + b : r; }
            case FLOOR_DIVIDE -> Math.floor(a / b);
            case FMOD -> a % b;
        };
    }

    static long applyLong(BinaryFn fn, long a, long b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case POW -> {
                if (b < 0) throw new ArithmeticException("pow: integers to negative integer powers are not allowed");
                long r = 1, base = a;
                for (long e = b; e > 0; e >>= 1) { if ((e & 1) != 0) r *= base; base *= base; }
                yield r;
            }
            case REMAINDER -> { if (b == 0) throw new ArithmeticException("remainder: ZeroDivisionError"); yield Math.floorMod(a, b); }
            case FLOOR_DIVIDE -> { if (b == 0) throw new ArithmeticException("floor_divide: ZeroDivisionError"); yield Math.floorDiv(a, b); }
            case FMOD -> { if (b == 0) throw new ArithmeticException("fmod: ZeroDivisionError"); yield a % b; }
            default -> throw new UnsupportedOperationException(fn + " on integers");
        };
    }
}
