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
 *
 * <p>Each conversion is a public entry (argument check, parallel split through {@link #run}) and a
 * serial loop with a unit-stride form, which C2 vectorizes, and a strided form.
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

    /** A serial conversion of {@code len} elements starting at x offset {@code xo} and y offset {@code yo}. */
    @FunctionalInterface
    private interface Serial {
        void run(int xo, int yo, int len);
    }

    /** Checks the arguments, then runs {@code serial} over [0, n), split across threads when long. */
    private static void run(String name, int xLen, int xOff, int xStride, int yLen, int yOff, int n, Serial serial) {
        check(name, xLen, xOff, xStride, yLen, yOff, n);
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN, (s, e) -> serial.run(xOff + s * xStride, yOff + s, e - s));
        } else {
            serial.run(xOff, yOff, n);
        }
    }

    public static void f32ToF32(float[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        run("f32ToF32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f32ToF32Serial(x, xo, xStride, y, yo, len));
    }

    private static void f32ToF32Serial(float[] x, int xo, int xs, float[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = x[p];
    }

    public static void f32ToF64(float[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        run("f32ToF64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f32ToF64Serial(x, xo, xStride, y, yo, len));
    }

    private static void f32ToF64Serial(float[] x, int xo, int xs, double[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (double) x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (double) x[p];
    }

    public static void f32ToI32(float[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        run("f32ToI32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f32ToI32Serial(x, xo, xStride, y, yo, len));
    }

    private static void f32ToI32Serial(float[] x, int xo, int xs, int[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (int) x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (int) x[p];
    }

    public static void f32ToI64(float[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        run("f32ToI64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f32ToI64Serial(x, xo, xStride, y, yo, len));
    }

    private static void f32ToI64Serial(float[] x, int xo, int xs, long[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (long) x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (long) x[p];
    }

    public static void f32ToBool(float[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        run("f32ToBool", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f32ToBoolSerial(x, xo, xStride, y, yo, len));
    }

    private static void f32ToBoolSerial(float[] x, int xo, int xs, byte[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (byte) (x[xo + i] != 0 ? 1 : 0);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (byte) (x[p] != 0 ? 1 : 0);
    }

    public static void f32ToF16(float[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("f32ToF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f32ToF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void f32ToF16Serial(float[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = Float.floatToFloat16(x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = Float.floatToFloat16(x[p]);
    }

    public static void f32ToBF16(float[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("f32ToBF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f32ToBF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void f32ToBF16Serial(float[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = floatToBf16(x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = floatToBf16(x[p]);
    }

    public static void f64ToF32(double[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        run("f64ToF32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f64ToF32Serial(x, xo, xStride, y, yo, len));
    }

    private static void f64ToF32Serial(double[] x, int xo, int xs, float[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (float) x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (float) x[p];
    }

    public static void f64ToF64(double[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        run("f64ToF64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f64ToF64Serial(x, xo, xStride, y, yo, len));
    }

    private static void f64ToF64Serial(double[] x, int xo, int xs, double[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = x[p];
    }

    public static void f64ToI32(double[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        run("f64ToI32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f64ToI32Serial(x, xo, xStride, y, yo, len));
    }

    private static void f64ToI32Serial(double[] x, int xo, int xs, int[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (int) x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (int) x[p];
    }

    public static void f64ToI64(double[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        run("f64ToI64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f64ToI64Serial(x, xo, xStride, y, yo, len));
    }

    private static void f64ToI64Serial(double[] x, int xo, int xs, long[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (long) x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (long) x[p];
    }

    public static void f64ToBool(double[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        run("f64ToBool", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f64ToBoolSerial(x, xo, xStride, y, yo, len));
    }

    private static void f64ToBoolSerial(double[] x, int xo, int xs, byte[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (byte) (x[xo + i] != 0 ? 1 : 0);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (byte) (x[p] != 0 ? 1 : 0);
    }

    public static void f64ToF16(double[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("f64ToF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f64ToF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void f64ToF16Serial(double[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = Float.floatToFloat16((float) x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = Float.floatToFloat16((float) x[p]);
    }

    public static void f64ToBF16(double[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("f64ToBF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f64ToBF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void f64ToBF16Serial(double[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = floatToBf16((float) x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = floatToBf16((float) x[p]);
    }

    public static void i32ToF32(int[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        run("i32ToF32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i32ToF32Serial(x, xo, xStride, y, yo, len));
    }

    private static void i32ToF32Serial(int[] x, int xo, int xs, float[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (float) x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (float) x[p];
    }

    public static void i32ToF64(int[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        run("i32ToF64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i32ToF64Serial(x, xo, xStride, y, yo, len));
    }

    private static void i32ToF64Serial(int[] x, int xo, int xs, double[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (double) x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (double) x[p];
    }

    public static void i32ToI32(int[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        run("i32ToI32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i32ToI32Serial(x, xo, xStride, y, yo, len));
    }

    private static void i32ToI32Serial(int[] x, int xo, int xs, int[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = x[p];
    }

    public static void i32ToI64(int[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        run("i32ToI64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i32ToI64Serial(x, xo, xStride, y, yo, len));
    }

    private static void i32ToI64Serial(int[] x, int xo, int xs, long[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (long) x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (long) x[p];
    }

    public static void i32ToBool(int[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        run("i32ToBool", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i32ToBoolSerial(x, xo, xStride, y, yo, len));
    }

    private static void i32ToBoolSerial(int[] x, int xo, int xs, byte[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (byte) (x[xo + i] != 0 ? 1 : 0);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (byte) (x[p] != 0 ? 1 : 0);
    }

    public static void i32ToF16(int[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("i32ToF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i32ToF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void i32ToF16Serial(int[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = Float.floatToFloat16((float) x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = Float.floatToFloat16((float) x[p]);
    }

    public static void i32ToBF16(int[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("i32ToBF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i32ToBF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void i32ToBF16Serial(int[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = floatToBf16((float) x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = floatToBf16((float) x[p]);
    }

    public static void i64ToF32(long[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        run("i64ToF32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i64ToF32Serial(x, xo, xStride, y, yo, len));
    }

    private static void i64ToF32Serial(long[] x, int xo, int xs, float[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (float) x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (float) x[p];
    }

    public static void i64ToF64(long[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        run("i64ToF64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i64ToF64Serial(x, xo, xStride, y, yo, len));
    }

    private static void i64ToF64Serial(long[] x, int xo, int xs, double[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (double) x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (double) x[p];
    }

    public static void i64ToI32(long[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        run("i64ToI32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i64ToI32Serial(x, xo, xStride, y, yo, len));
    }

    private static void i64ToI32Serial(long[] x, int xo, int xs, int[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (int) x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (int) x[p];
    }

    public static void i64ToI64(long[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        run("i64ToI64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i64ToI64Serial(x, xo, xStride, y, yo, len));
    }

    private static void i64ToI64Serial(long[] x, int xo, int xs, long[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = x[p];
    }

    public static void i64ToBool(long[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        run("i64ToBool", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i64ToBoolSerial(x, xo, xStride, y, yo, len));
    }

    private static void i64ToBoolSerial(long[] x, int xo, int xs, byte[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (byte) (x[xo + i] != 0 ? 1 : 0);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (byte) (x[p] != 0 ? 1 : 0);
    }

    public static void i64ToF16(long[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("i64ToF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i64ToF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void i64ToF16Serial(long[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = Float.floatToFloat16((float) x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = Float.floatToFloat16((float) x[p]);
    }

    public static void i64ToBF16(long[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("i64ToBF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> i64ToBF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void i64ToBF16Serial(long[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = floatToBf16((float) x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = floatToBf16((float) x[p]);
    }

    public static void boolToF32(byte[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        run("boolToF32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> boolToF32Serial(x, xo, xStride, y, yo, len));
    }

    private static void boolToF32Serial(byte[] x, int xo, int xs, float[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (float) (x[xo + i] != 0 ? 1 : 0);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (float) (x[p] != 0 ? 1 : 0);
    }

    public static void boolToF64(byte[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        run("boolToF64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> boolToF64Serial(x, xo, xStride, y, yo, len));
    }

    private static void boolToF64Serial(byte[] x, int xo, int xs, double[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (double) (x[xo + i] != 0 ? 1 : 0);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (double) (x[p] != 0 ? 1 : 0);
    }

    public static void boolToI32(byte[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        run("boolToI32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> boolToI32Serial(x, xo, xStride, y, yo, len));
    }

    private static void boolToI32Serial(byte[] x, int xo, int xs, int[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (x[xo + i] != 0 ? 1 : 0);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (x[p] != 0 ? 1 : 0);
    }

    public static void boolToI64(byte[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        run("boolToI64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> boolToI64Serial(x, xo, xStride, y, yo, len));
    }

    private static void boolToI64Serial(byte[] x, int xo, int xs, long[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (long) (x[xo + i] != 0 ? 1 : 0);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (long) (x[p] != 0 ? 1 : 0);
    }

    public static void boolToBool(byte[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        run("boolToBool", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> boolToBoolSerial(x, xo, xStride, y, yo, len));
    }

    private static void boolToBoolSerial(byte[] x, int xo, int xs, byte[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = x[p];
    }

    public static void boolToF16(byte[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("boolToF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> boolToF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void boolToF16Serial(byte[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = Float.floatToFloat16((float) (x[xo + i] != 0 ? 1 : 0));
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = Float.floatToFloat16((float) (x[p] != 0 ? 1 : 0));
    }

    public static void boolToBF16(byte[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("boolToBF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> boolToBF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void boolToBF16Serial(byte[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = floatToBf16((float) (x[xo + i] != 0 ? 1 : 0));
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = floatToBf16((float) (x[p] != 0 ? 1 : 0));
    }

    public static void f16ToF32(short[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        run("f16ToF32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f16ToF32Serial(x, xo, xStride, y, yo, len));
    }

    private static void f16ToF32Serial(short[] x, int xo, int xs, float[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = Float.float16ToFloat(x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = Float.float16ToFloat(x[p]);
    }

    public static void f16ToF64(short[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        run("f16ToF64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f16ToF64Serial(x, xo, xStride, y, yo, len));
    }

    private static void f16ToF64Serial(short[] x, int xo, int xs, double[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (double) Float.float16ToFloat(x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (double) Float.float16ToFloat(x[p]);
    }

    public static void f16ToI32(short[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        run("f16ToI32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f16ToI32Serial(x, xo, xStride, y, yo, len));
    }

    private static void f16ToI32Serial(short[] x, int xo, int xs, int[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (int) Float.float16ToFloat(x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (int) Float.float16ToFloat(x[p]);
    }

    public static void f16ToI64(short[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        run("f16ToI64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f16ToI64Serial(x, xo, xStride, y, yo, len));
    }

    private static void f16ToI64Serial(short[] x, int xo, int xs, long[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (long) Float.float16ToFloat(x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (long) Float.float16ToFloat(x[p]);
    }

    public static void f16ToBool(short[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        run("f16ToBool", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f16ToBoolSerial(x, xo, xStride, y, yo, len));
    }

    private static void f16ToBoolSerial(short[] x, int xo, int xs, byte[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (byte) (Float.float16ToFloat(x[xo + i]) != 0 ? 1 : 0);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (byte) (Float.float16ToFloat(x[p]) != 0 ? 1 : 0);
    }

    public static void f16ToF16(short[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("f16ToF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f16ToF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void f16ToF16Serial(short[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = x[p];
    }

    public static void f16ToBF16(short[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("f16ToBF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> f16ToBF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void f16ToBF16Serial(short[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = floatToBf16(Float.float16ToFloat(x[xo + i]));
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = floatToBf16(Float.float16ToFloat(x[p]));
    }

    public static void bf16ToF32(short[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        run("bf16ToF32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> bf16ToF32Serial(x, xo, xStride, y, yo, len));
    }

    private static void bf16ToF32Serial(short[] x, int xo, int xs, float[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = bf16ToFloat(x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = bf16ToFloat(x[p]);
    }

    public static void bf16ToF64(short[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        run("bf16ToF64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> bf16ToF64Serial(x, xo, xStride, y, yo, len));
    }

    private static void bf16ToF64Serial(short[] x, int xo, int xs, double[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (double) bf16ToFloat(x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (double) bf16ToFloat(x[p]);
    }

    public static void bf16ToI32(short[] x, int xOff, int xStride, int[] y, int yOff, int n) {
        run("bf16ToI32", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> bf16ToI32Serial(x, xo, xStride, y, yo, len));
    }

    private static void bf16ToI32Serial(short[] x, int xo, int xs, int[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (int) bf16ToFloat(x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (int) bf16ToFloat(x[p]);
    }

    public static void bf16ToI64(short[] x, int xOff, int xStride, long[] y, int yOff, int n) {
        run("bf16ToI64", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> bf16ToI64Serial(x, xo, xStride, y, yo, len));
    }

    private static void bf16ToI64Serial(short[] x, int xo, int xs, long[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (long) bf16ToFloat(x[xo + i]);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (long) bf16ToFloat(x[p]);
    }

    public static void bf16ToBool(short[] x, int xOff, int xStride, byte[] y, int yOff, int n) {
        run("bf16ToBool", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> bf16ToBoolSerial(x, xo, xStride, y, yo, len));
    }

    private static void bf16ToBoolSerial(short[] x, int xo, int xs, byte[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = (byte) (bf16ToFloat(x[xo + i]) != 0 ? 1 : 0);
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = (byte) (bf16ToFloat(x[p]) != 0 ? 1 : 0);
    }

    public static void bf16ToF16(short[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("bf16ToF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> bf16ToF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void bf16ToF16Serial(short[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = Float.floatToFloat16(bf16ToFloat(x[xo + i]));
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = Float.floatToFloat16(bf16ToFloat(x[p]));
    }

    public static void bf16ToBF16(short[] x, int xOff, int xStride, short[] y, int yOff, int n) {
        run("bf16ToBF16", x.length, xOff, xStride, y.length, yOff, n, (xo, yo, len) -> bf16ToBF16Serial(x, xo, xStride, y, yo, len));
    }

    private static void bf16ToBF16Serial(short[] x, int xo, int xs, short[] y, int yo, int n) {
        if (xs == 1) for (int i = 0; i < n; i++) y[yo + i] = x[xo + i];
        else for (int i = 0, p = xo; i < n; i++, p += xs) y[yo + i] = x[p];
    }
}
