package org.sinter.kernels;

/**
 * Element type conversions, {@code y[yOff + i] = convert(x[xOff + i*xStride])}, between float32
 * (float[]), float64 (double[]), int32 (int[]), int64 (long[]), bool (byte[] of 0/1) and the two
 * 16-bit floats stored as short[] bits: float16 (IEEE half) and bfloat16. Same-type methods are
 * strided copies. Semantics follow PyTorch: float to int truncates toward zero (Java's casts,
 * which also send NaN to 0 and saturate where C++ leaves the result undefined); anything nonzero,
 * NaN included, becomes true; narrowing to float16/bfloat16 rounds to nearest even (float64 goes
 * through float32 first, as PyTorch does); long to int wraps. Contiguous loops are plain Java
 * loops that C2 vectorizes; large conversions split across {@link Parallel}.
 */
public final class ConvertKernels {
    private ConvertKernels() {}

    /** bfloat16 bits to float: the bits are the top half of a float32. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** float to bfloat16 bits, rounding to nearest even; NaN stays a (quiet) NaN. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (f != f) return (short) ((bits >>> 16) | 0x0040);
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    private static void check(String name, int xLen, int xOff, int xStride, int yLen, int yOff, int n) {
        Checks.strided("ConvertKernels", name, "x", xLen, xOff, xStride, n);
        Checks.contiguous("ConvertKernels", name, "y", yLen, yOff, n);
    }


    public static void f32ToF32(float[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        check("f32ToF32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f32ToF32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f32ToF32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f32ToF32Serial(float[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = x[p];
        }
    }

    public static void f32ToF64(float[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        check("f32ToF64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f32ToF64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f32ToF64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f32ToF64Serial(float[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (double) x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (double) x[p];
        }
    }

    public static void f32ToI32(float[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        check("f32ToI32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f32ToI32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f32ToI32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f32ToI32Serial(float[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (int) x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (int) x[p];
        }
    }

    public static void f32ToI64(float[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        check("f32ToI64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f32ToI64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f32ToI64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f32ToI64Serial(float[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (long) x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (long) x[p];
        }
    }

    public static void f32ToBool(float[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        check("f32ToBool", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f32ToBoolSerial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f32ToBoolSerial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f32ToBoolSerial(float[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (byte) (x[p] != 0 ? 1 : 0);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (byte) (x[p] != 0 ? 1 : 0);
        }
    }

    public static void f32ToF16(float[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("f32ToF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f32ToF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f32ToF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f32ToF16Serial(float[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = Float.floatToFloat16(x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = Float.floatToFloat16(x[p]);
        }
    }

    public static void f32ToBF16(float[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("f32ToBF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f32ToBF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f32ToBF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f32ToBF16Serial(float[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = floatToBf16(x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = floatToBf16(x[p]);
        }
    }

    public static void f64ToF32(double[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        check("f64ToF32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f64ToF32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f64ToF32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f64ToF32Serial(double[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (float) x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (float) x[p];
        }
    }

    public static void f64ToF64(double[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        check("f64ToF64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f64ToF64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f64ToF64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f64ToF64Serial(double[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = x[p];
        }
    }

    public static void f64ToI32(double[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        check("f64ToI32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f64ToI32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f64ToI32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f64ToI32Serial(double[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (int) x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (int) x[p];
        }
    }

    public static void f64ToI64(double[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        check("f64ToI64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f64ToI64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f64ToI64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f64ToI64Serial(double[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (long) x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (long) x[p];
        }
    }

    public static void f64ToBool(double[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        check("f64ToBool", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f64ToBoolSerial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f64ToBoolSerial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f64ToBoolSerial(double[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (byte) (x[p] != 0 ? 1 : 0);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (byte) (x[p] != 0 ? 1 : 0);
        }
    }

    public static void f64ToF16(double[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("f64ToF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f64ToF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f64ToF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f64ToF16Serial(double[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = Float.floatToFloat16((float) x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = Float.floatToFloat16((float) x[p]);
        }
    }

    public static void f64ToBF16(double[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("f64ToBF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f64ToBF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f64ToBF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f64ToBF16Serial(double[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = floatToBf16((float) x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = floatToBf16((float) x[p]);
        }
    }

    public static void i32ToF32(int[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        check("i32ToF32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i32ToF32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i32ToF32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i32ToF32Serial(int[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (float) x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (float) x[p];
        }
    }

    public static void i32ToF64(int[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        check("i32ToF64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i32ToF64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i32ToF64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i32ToF64Serial(int[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (double) x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (double) x[p];
        }
    }

    public static void i32ToI32(int[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        check("i32ToI32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i32ToI32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i32ToI32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i32ToI32Serial(int[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = x[p];
        }
    }

    public static void i32ToI64(int[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        check("i32ToI64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i32ToI64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i32ToI64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i32ToI64Serial(int[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (long) x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (long) x[p];
        }
    }

    public static void i32ToBool(int[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        check("i32ToBool", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i32ToBoolSerial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i32ToBoolSerial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i32ToBoolSerial(int[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (byte) (x[p] != 0 ? 1 : 0);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (byte) (x[p] != 0 ? 1 : 0);
        }
    }

    public static void i32ToF16(int[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("i32ToF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i32ToF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i32ToF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i32ToF16Serial(int[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = Float.floatToFloat16((float) x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = Float.floatToFloat16((float) x[p]);
        }
    }

    public static void i32ToBF16(int[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("i32ToBF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i32ToBF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i32ToBF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i32ToBF16Serial(int[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = floatToBf16((float) x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = floatToBf16((float) x[p]);
        }
    }

    public static void i64ToF32(long[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        check("i64ToF32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i64ToF32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i64ToF32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i64ToF32Serial(long[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (float) x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (float) x[p];
        }
    }

    public static void i64ToF64(long[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        check("i64ToF64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i64ToF64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i64ToF64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i64ToF64Serial(long[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (double) x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (double) x[p];
        }
    }

    public static void i64ToI32(long[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        check("i64ToI32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i64ToI32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i64ToI32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i64ToI32Serial(long[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (int) x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (int) x[p];
        }
    }

    public static void i64ToI64(long[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        check("i64ToI64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i64ToI64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i64ToI64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i64ToI64Serial(long[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = x[p];
        }
    }

    public static void i64ToBool(long[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        check("i64ToBool", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i64ToBoolSerial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i64ToBoolSerial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i64ToBoolSerial(long[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (byte) (x[p] != 0 ? 1 : 0);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (byte) (x[p] != 0 ? 1 : 0);
        }
    }

    public static void i64ToF16(long[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("i64ToF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i64ToF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i64ToF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i64ToF16Serial(long[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = Float.floatToFloat16((float) x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = Float.floatToFloat16((float) x[p]);
        }
    }

    public static void i64ToBF16(long[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("i64ToBF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> i64ToBF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            i64ToBF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void i64ToBF16Serial(long[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = floatToBf16((float) x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = floatToBf16((float) x[p]);
        }
    }

    public static void boolToF32(byte[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        check("boolToF32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> boolToF32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            boolToF32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void boolToF32Serial(byte[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (float) (x[p] != 0 ? 1 : 0);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (float) (x[p] != 0 ? 1 : 0);
        }
    }

    public static void boolToF64(byte[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        check("boolToF64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> boolToF64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            boolToF64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void boolToF64Serial(byte[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (double) (x[p] != 0 ? 1 : 0);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (double) (x[p] != 0 ? 1 : 0);
        }
    }

    public static void boolToI32(byte[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        check("boolToI32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> boolToI32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            boolToI32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void boolToI32Serial(byte[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (x[p] != 0 ? 1 : 0);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (x[p] != 0 ? 1 : 0);
        }
    }

    public static void boolToI64(byte[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        check("boolToI64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> boolToI64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            boolToI64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void boolToI64Serial(byte[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (long) (x[p] != 0 ? 1 : 0);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (long) (x[p] != 0 ? 1 : 0);
        }
    }

    public static void boolToBool(byte[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        check("boolToBool", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> boolToBoolSerial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            boolToBoolSerial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void boolToBoolSerial(byte[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = x[p];
        }
    }

    public static void boolToF16(byte[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("boolToF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> boolToF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            boolToF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void boolToF16Serial(byte[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = Float.floatToFloat16((float) (x[p] != 0 ? 1 : 0));
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = Float.floatToFloat16((float) (x[p] != 0 ? 1 : 0));
        }
    }

    public static void boolToBF16(byte[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("boolToBF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> boolToBF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            boolToBF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void boolToBF16Serial(byte[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = floatToBf16((float) (x[p] != 0 ? 1 : 0));
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = floatToBf16((float) (x[p] != 0 ? 1 : 0));
        }
    }

    public static void f16ToF32(short[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        check("f16ToF32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f16ToF32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f16ToF32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f16ToF32Serial(short[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = Float.float16ToFloat(x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = Float.float16ToFloat(x[p]);
        }
    }

    public static void f16ToF64(short[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        check("f16ToF64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f16ToF64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f16ToF64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f16ToF64Serial(short[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (double) Float.float16ToFloat(x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (double) Float.float16ToFloat(x[p]);
        }
    }

    public static void f16ToI32(short[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        check("f16ToI32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f16ToI32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f16ToI32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f16ToI32Serial(short[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (int) Float.float16ToFloat(x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (int) Float.float16ToFloat(x[p]);
        }
    }

    public static void f16ToI64(short[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        check("f16ToI64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f16ToI64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f16ToI64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f16ToI64Serial(short[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (long) Float.float16ToFloat(x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (long) Float.float16ToFloat(x[p]);
        }
    }

    public static void f16ToBool(short[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        check("f16ToBool", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f16ToBoolSerial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f16ToBoolSerial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f16ToBoolSerial(short[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (byte) (Float.float16ToFloat(x[p]) != 0 ? 1 : 0);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (byte) (Float.float16ToFloat(x[p]) != 0 ? 1 : 0);
        }
    }

    public static void f16ToF16(short[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("f16ToF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f16ToF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f16ToF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f16ToF16Serial(short[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = x[p];
        }
    }

    public static void f16ToBF16(short[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("f16ToBF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> f16ToBF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f16ToBF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f16ToBF16Serial(short[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = floatToBf16(Float.float16ToFloat(x[p]));
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = floatToBf16(Float.float16ToFloat(x[p]));
        }
    }

    public static void bf16ToF32(short[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        check("bf16ToF32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> bf16ToF32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            bf16ToF32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void bf16ToF32Serial(short[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = bf16ToFloat(x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = bf16ToFloat(x[p]);
        }
    }

    public static void bf16ToF64(short[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        check("bf16ToF64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> bf16ToF64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            bf16ToF64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void bf16ToF64Serial(short[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (double) bf16ToFloat(x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (double) bf16ToFloat(x[p]);
        }
    }

    public static void bf16ToI32(short[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        check("bf16ToI32", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> bf16ToI32Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            bf16ToI32Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void bf16ToI32Serial(short[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (int) bf16ToFloat(x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (int) bf16ToFloat(x[p]);
        }
    }

    public static void bf16ToI64(short[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        check("bf16ToI64", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> bf16ToI64Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            bf16ToI64Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void bf16ToI64Serial(short[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (long) bf16ToFloat(x[p]);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (long) bf16ToFloat(x[p]);
        }
    }

    public static void bf16ToBool(short[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        check("bf16ToBool", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> bf16ToBoolSerial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            bf16ToBoolSerial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void bf16ToBoolSerial(short[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = (byte) (bf16ToFloat(x[p]) != 0 ? 1 : 0);
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = (byte) (bf16ToFloat(x[p]) != 0 ? 1 : 0);
        }
    }

    public static void bf16ToF16(short[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("bf16ToF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> bf16ToF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            bf16ToF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void bf16ToF16Serial(short[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = Float.floatToFloat16(bf16ToFloat(x[p]));
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = Float.floatToFloat16(bf16ToFloat(x[p]));
        }
    }

    public static void bf16ToBF16(short[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        check("bf16ToBF16", x.length, xOff, xStride, y.length, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> bf16ToBF16Serial(x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            bf16ToBF16Serial(x, xOff, xStride, y, yOff, n);
        }
    }

    private static void bf16ToBF16Serial(short[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        if (xStride == 1) {
            for (int i = 0; i < n; i++) {
                int p = xOff + i;
                y[yOff + i] = x[p];
            }
        } else {
            for (int i = 0, p = xOff; i < n; i++, p += xStride) y[yOff + i] = x[p];
        }
    }
}
