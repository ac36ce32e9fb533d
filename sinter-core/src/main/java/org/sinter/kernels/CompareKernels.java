package org.sinter.kernels;

/** TEMPORARY scalar comparison kernels (replaced by the SIMD kernels). */
public final class CompareKernels {
    private CompareKernels() {}

    static boolean cmp(CompareFn fn, double a, double b) {
        return switch (fn) {
            case EQ -> a == b; case NE -> a != b; case LT -> a < b; case LE -> a <= b; case GT -> a > b; case GE -> a >= b;
        };
    }

    static boolean cmpL(CompareFn fn, long a, long b) {
        return switch (fn) {
            case EQ -> a == b; case NE -> a != b; case LT -> a < b; case LE -> a <= b; case GT -> a > b; case GE -> a >= b;
        };
    }

    public static void f32(CompareFn fn, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, byte[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = (byte) (cmp(fn, a[aOff + i * aStride], b[bOff + i * bStride]) ? 1 : 0);
    }

    public static void f64(CompareFn fn, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride, byte[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = (byte) (cmp(fn, a[aOff + i * aStride], b[bOff + i * bStride]) ? 1 : 0);
    }

    public static void i32(CompareFn fn, int[] a, int aOff, int aStride, int[] b, int bOff, int bStride, byte[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = (byte) (cmpL(fn, a[aOff + i * aStride], b[bOff + i * bStride]) ? 1 : 0);
    }

    public static void i64(CompareFn fn, long[] a, int aOff, int aStride, long[] b, int bOff, int bStride, byte[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = (byte) (cmpL(fn, a[aOff + i * aStride], b[bOff + i * bStride]) ? 1 : 0);
    }

    public static void u8(CompareFn fn, byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride, byte[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = (byte) (cmpL(fn, a[aOff + i * aStride], b[bOff + i * bStride]) ? 1 : 0);
    }
}
