package org.sinter.kernels;

import org.sinter.kernels.UnaryKernels.UnaryFn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every unary function and stride case against a double reference built on java.lang.Math. */
class UnaryKernelsTest {
    static final int[] SIZES = {0, 1, 7, 8, 9, 15, 16, 17, 33, 100, 1027};
    static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -1f,
            0.5f, -0.5f, 1.5f, -2.5f, 1e-40f, -1e-40f, 1e30f, -1e30f, 3f, 8388609f, -8388609.5f};

    /** Parameters each function is tested with (p0, p1). */
    static float[] params(UnaryFn fn) {
        return switch (fn) {
            case LEAKY_RELU -> new float[] {0.01f, 0};
            case SOFTPLUS -> new float[] {2f, 20f};
            case CLAMP -> new float[] {-0.5f, 0.75f};
            case POW_SCALAR -> new float[] {1.7f, 0};
            case RPOW_SCALAR -> new float[] {2.5f, 0};
            case AFFINE -> new float[] {1.5f, -0.25f};
            default -> new float[] {0, 0};
        };
    }

    /** An input range inside the function's domain, so random tests compare real numbers. */
    static double[] domain(UnaryFn fn) {
        return switch (fn) {
            case LOG, LOG2, LOG10, SQRT, RSQRT, POW_SCALAR -> new double[] {1e-3, 100};
            case LOG1P -> new double[] {-0.99, 100};
            case ASIN, ACOS, ATANH -> new double[] {-0.999, 0.999};
            case ACOSH -> new double[] {1, 100};
            case EXP, SINH, COSH -> new double[] {-80, 80};
            case EXP2, RPOW_SCALAR -> new double[] {-100, 100};
            case TAN -> new double[] {-1.5, 1.5};
            // Between its zeros: at nonzero integers sinc's relative error is ill-conditioned in any precision.
            case SINC -> new double[] {-0.95, 0.95};
            case ERF, GELU, GELU_TANH -> new double[] {-7, 7};
            default -> new double[] {-20, 20};
        };
    }

    static double ref(UnaryFn fn, double p0, double p1, double x) {
        return switch (fn) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> x > 0 ? 1 : x < 0 ? -1 : 0;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TAN -> Math.tan(x);
            case ASIN -> Math.asin(x);
            case ACOS -> Math.acos(x);
            case ATAN -> Math.atan(x);
            case SINH -> Math.sinh(x);
            case COSH -> Math.cosh(x);
            case TANH -> Math.tanh(x);
            case ASINH -> Math.abs(x) < 0.5 ? asinhSeries(x) : Math.copySign(Math.log(Math.abs(x) + Math.sqrt(x * x + 1)), x);
            case ACOSH -> x < 1 ? Double.NaN : Math.log1p((x - 1) + Math.sqrt((x - 1) * (x + 1)));
            case ATANH -> Math.abs(x) < 0.5 ? atanhSeries(x) : 0.5 * Math.log((1 + x) / (1 - x));
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case RELU -> x < 0 ? 0 : x;
            case LEAKY_RELU -> x < 0 ? x * p0 : x;
            case GELU -> x * 0.5 * (1 + Erf.erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case SILU -> x / (1 + Math.exp(-x));
            case SOFTPLUS -> p0 * x > p1 ? x : Math.log1p(Math.exp(p0 * x)) / p0;
            case CLAMP -> Double.isNaN(p0) || Double.isNaN(p1) ? Double.NaN : Math.min(Math.max(x, p0), p1);
            case POW_SCALAR -> p0 == 0.5 ? Math.sqrt(x) : p0 == -0.5 ? 1 / Math.sqrt(x) : Math.pow(x, p0);
            case RPOW_SCALAR -> Math.pow(p0, x);
            case ERF -> Erf.erf(x);
            case EXPM1 -> Math.expm1(x);
            case RECIPROCAL -> 1 / x;
            case SQUARE -> x * x;
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case TRUNC -> x < 0 ? Math.ceil(x) : Math.floor(x);
            case LOG2 -> Math.log(x) / Math.log(2);
            case LOG10 -> Math.log10(x);
            case EXP2 -> Math.pow(2, x);
            case AFFINE -> p0 * x + p1;
            case ISNAN -> Double.isNaN(x) ? 1 : 0;
            case SINC -> x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        };
    }

    /** Taylor series, accurate to double precision for |x| &lt; 0.5 (the closed forms cancel there). */
    static double asinhSeries(double x) {
        double term = x, sum = 0;
        for (int n = 0; n < 80; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x * (2 * n + 1) / (2 * n + 2);
        }
        return sum;
    }

    static double atanhSeries(double x) {
        double term = x, sum = 0;
        for (int n = 0; n < 80; n++) {
            sum += term / (2 * n + 1);
            term *= x * x;
        }
        return sum;
    }

    static void assertClose32(UnaryFn fn, float x, double want, float got, String where) {
        if (Double.isNaN(want)) {
            assertTrue(Float.isNaN(got), () -> fn + "(" + x + ") = " + got + ", want NaN " + where);
            return;
        }
        float w = (float) want;
        if (Float.isInfinite(w) || w == 0 && want == 0) {
            if (got == w) return;
        }
        double tol = 8 * Math.ulp(w) + switch (fn) {
            case ERF, GELU, GELU_TANH -> 3e-7 * Math.max(1, Math.abs(x));
            case SIN, COS, TAN -> 2e-7;
            // pi*x is rounded to the working precision first (as PyTorch computes sinc): absolute error.
            case SINC -> 2e-7 * Math.max(1, Math.abs(x));
            default -> 0;
        };
        assertTrue(Math.abs(got - want) <= tol, () -> fn + "(" + x + ") = " + got + ", want " + want + " " + where);
    }

    static void assertClose64(UnaryFn fn, double x, double want, double got, String where) {
        if (Double.isNaN(want)) {
            assertTrue(Double.isNaN(got), () -> fn + "(" + x + ") = " + got + ", want NaN " + where);
            return;
        }
        if (Double.isInfinite(want) || want == 0) {
            if (got == want) return;
        }
        double tol = 16 * Math.ulp(want) + switch (fn) {
            case GELU, GELU_TANH -> 1e-15 * Math.max(1, Math.abs(x)); // 1 + erf cancels, as in PyTorch
            case SIN, COS, TAN -> 1e-16;
            case SINC -> 1e-15 * Math.max(1, Math.abs(x));
            default -> 0;
        };
        assertTrue(Math.abs(got - want) <= tol, () -> fn + "(" + x + ") = " + got + ", want " + want + " " + where);
    }

    static float[] randomF32(Random rnd, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        return a;
    }

    @Test
    void f32EveryFunctionAndStride() {
        Random rnd = new Random(42);
        for (UnaryFn fn : UnaryFn.values()) {
            float[] p = params(fn);
            double[] d = domain(fn);
            for (int n : SIZES) {
                float[] src = randomF32(rnd, 3 * n + 5, d[0], d[1]);
                // stride 1, offsets on both sides
                float[] y = new float[n + 3];
                UnaryKernels.f32(fn, p[0], p[1], src, 2, 1, y, 3, n);
                for (int i = 0; i < n; i++) assertClose32(fn, src[2 + i], ref(fn, p[0], p[1], src[2 + i]), y[3 + i], "stride 1 n=" + n + " i=" + i);
                // stride 3 and stride -1 (gather)
                UnaryKernels.f32(fn, p[0], p[1], src, 1, 3, y, 0, n);
                for (int i = 0; i < n; i++) assertClose32(fn, src[1 + 3 * i], ref(fn, p[0], p[1], src[1 + 3 * i]), y[i], "stride 3 n=" + n + " i=" + i);
                if (n > 0) {
                    UnaryKernels.f32(fn, p[0], p[1], src, n - 1, -1, y, 0, n);
                    for (int i = 0; i < n; i++) assertClose32(fn, src[n - 1 - i], ref(fn, p[0], p[1], src[n - 1 - i]), y[i], "stride -1 n=" + n);
                }
                // stride 0 (broadcast)
                UnaryKernels.f32(fn, p[0], p[1], src, 4, 0, y, 1, n);
                for (int i = 0; i < n; i++) assertClose32(fn, src[4], ref(fn, p[0], p[1], src[4]), y[1 + i], "stride 0 n=" + n);
                // in place
                float[] inPlace = src.clone();
                UnaryKernels.f32(fn, p[0], p[1], inPlace, 5, 1, inPlace, 5, n);
                for (int i = 0; i < n; i++) assertClose32(fn, src[5 + i], ref(fn, p[0], p[1], src[5 + i]), inPlace[5 + i], "in place n=" + n);
            }
        }
    }

    @Test
    void f64EveryFunctionAndStride() {
        Random rnd = new Random(7);
        for (UnaryFn fn : UnaryFn.values()) {
            float[] pf = params(fn);
            double p0 = pf[0], p1 = pf[1];
            double[] d = domain(fn);
            for (int n : SIZES) {
                double[] src = new double[3 * n + 5];
                for (int i = 0; i < src.length; i++) src[i] = d[0] + (d[1] - d[0]) * rnd.nextDouble();
                double[] y = new double[n + 3];
                UnaryKernels.f64(fn, p0, p1, src, 2, 1, y, 3, n);
                for (int i = 0; i < n; i++) assertClose64(fn, src[2 + i], ref(fn, p0, p1, src[2 + i]), y[3 + i], "stride 1 n=" + n);
                UnaryKernels.f64(fn, p0, p1, src, 1, 3, y, 0, n);
                for (int i = 0; i < n; i++) assertClose64(fn, src[1 + 3 * i], ref(fn, p0, p1, src[1 + 3 * i]), y[i], "stride 3 n=" + n);
                UnaryKernels.f64(fn, p0, p1, src, 4, 0, y, 1, n);
                for (int i = 0; i < n; i++) assertClose64(fn, src[4], ref(fn, p0, p1, src[4]), y[1 + i], "stride 0 n=" + n);
                double[] inPlace = src.clone();
                UnaryKernels.f64(fn, p0, p1, inPlace, 5, 1, inPlace, 5, n);
                for (int i = 0; i < n; i++) assertClose64(fn, src[5 + i], ref(fn, p0, p1, src[5 + i]), inPlace[5 + i], "in place n=" + n);
            }
        }
    }

    @Test
    void specialValuesInEveryLane() {
        for (UnaryFn fn : UnaryFn.values()) {
            float[] p = params(fn);
            // repeat the specials so that each sits in SIMD lanes and in the scalar tail
            float[] x = new float[SPECIAL.length * 3 + 1];
            for (int i = 0; i < x.length; i++) x[i] = SPECIAL[i % SPECIAL.length];
            float[] y = new float[x.length];
            UnaryKernels.f32(fn, p[0], p[1], x, 0, 1, y, 0, x.length);
            double[] xd = new double[x.length], yd = new double[x.length];
            for (int i = 0; i < x.length; i++) xd[i] = x[i];
            UnaryKernels.f64(fn, p[0], p[1], xd, 0, 1, yd, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                double want = ref(fn, p[0], p[1], x[i]);
                if (fn == UnaryFn.ASINH || fn == UnaryFn.ACOSH || fn == UnaryFn.ATANH) {
                    want = switch (fn) { // the formulas overflow where the functions do not
                        case ASINH -> Double.isInfinite(x[i]) ? x[i] : Math.abs(x[i]) > 1e20 ? Math.copySign(Math.log(Math.abs(x[i])) + Math.log(2), x[i]) : want;
                        case ACOSH -> x[i] > 1e20 ? Math.log(x[i]) + Math.log(2) : want;
                        default -> x[i] == 1 ? Double.POSITIVE_INFINITY : x[i] == -1 ? Double.NEGATIVE_INFINITY : want;
                    };
                }
                assertClose32(fn, x[i], want, y[i], "special f32 i=" + i);
                assertClose64(fn, xd[i], want, yd[i], "special f64 i=" + i);
            }
        }
    }

    @Test
    void pytorchEdgeSemantics() {
        float[] x = {Float.NaN, -0f, 0f, -1.5f, 2.5f, -2.5f, 0.5f, -0.5f};
        float[] y = new float[x.length];
        UnaryKernels.f32(UnaryFn.SIGN, 0, 0, x, 0, 1, y, 0, x.length);
        assertArrayEquals(new float[] {0, 0, 0, -1, 1, -1, 1, -1}, y);
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(y[1]), "sign(-0) is +0");
        UnaryKernels.f32(UnaryFn.RELU, 0, 0, x, 0, 1, y, 0, x.length);
        assertTrue(Float.isNaN(y[0]), "relu(NaN) = NaN");
        UnaryKernels.f32(UnaryFn.ROUND, 0, 0, x, 0, 1, y, 0, x.length);
        assertArrayEquals(new float[] {Float.NaN, -0f, 0f, -2, 2, -2, 0, -0f}, y, "round half to even");
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(y[7]));
        UnaryKernels.f32(UnaryFn.CLAMP, 4f, 2f, new float[] {1, 5, Float.NaN}, 0, 1, y, 0, 3);
        assertEquals(2f, y[0]);
        assertEquals(2f, y[1]);
        assertTrue(Float.isNaN(y[2]));
        UnaryKernels.f32(UnaryFn.CLAMP, Float.NaN, 2f, new float[] {1}, 0, 1, y, 0, 1);
        assertTrue(Float.isNaN(y[0]), "a NaN bound gives NaN");
        UnaryKernels.f32(UnaryFn.POW_SCALAR, 0.5f, 0, new float[] {Float.NEGATIVE_INFINITY}, 0, 1, y, 0, 1);
        assertTrue(Float.isNaN(y[0]), "pow(-inf, 0.5) is sqrt(-inf) = NaN in PyTorch");
        float[] big = new float[40];
        java.util.Arrays.fill(big, 1024f);
        UnaryKernels.f32(UnaryFn.LOG2, 0, 0, big, 0, 1, big, 0, big.length);
        for (float v : big) assertEquals(10f, v, "log2 is exact at powers of two");
    }

    @Test
    void erfMatchesReferenceValues() {
        double[][] table = {{0.0, 0.0}, {1e-10, 1.1283791670955126e-10}, {1e-05, 1.1283791670579e-05}, {0.1, 0.1124629160182849},
                {0.3, 0.3286267594591274}, {0.5, 0.5204998778130465}, {0.7, 0.6778011938374184}, {0.9, 0.7969082124228322},
                {0.99, 0.8385080695553698}, {1.0, 0.8427007929497149}, {1.2, 0.9103139782296353}, {1.5, 0.9661051464753108},
                {2.0, 0.9953222650189527}, {2.5, 0.999593047982555}, {3.0, 0.9999779095030014}, {3.5, 0.9999992569016276},
                {4.0, 0.9999999845827421}, {4.5, 0.9999999998033839}, {5.0, 0.9999999999984626}, {5.5, 0.9999999999999927},
                {5.9, 0.9999999999999999}, {6.5, 1.0}, {-0.5, -0.5204998778130465}, {-2.2, -0.9981371537020182}};
        double[] x = new double[table.length], y = new double[table.length];
        for (int i = 0; i < table.length; i++) x[i] = table[i][0];
        UnaryKernels.f64(UnaryFn.ERF, 0, 0, x, 0, 1, y, 0, x.length);
        for (int i = 0; i < table.length; i++) {
            assertEquals(table[i][1], y[i], 2e-16 + 1e-15 * Math.abs(table[i][1]), "erf(" + x[i] + ")");
            assertEquals(table[i][1], Erf.erf(x[i]), 2e-16 + 1e-15 * Math.abs(table[i][1]), "scalar erf(" + x[i] + ")");
        }
        // float32 erf: within 2e-7 of the double one on a fine grid
        int n = 200_001;
        float[] xf = new float[n], yf = new float[n];
        for (int i = 0; i < n; i++) xf[i] = -5f + 10f * i / (n - 1);
        UnaryKernels.f32(UnaryFn.ERF, 0, 0, xf, 0, 1, yf, 0, n);
        double worst = 0;
        for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(yf[i] - Erf.erf((double) xf[i])));
        assertTrue(worst < 2e-7, "float erf max error " + worst);
    }

    @Test
    void largeArraysTakeTheParallelPath() {
        Random rnd = new Random(3);
        int n = 200_003;
        for (UnaryFn fn : new UnaryFn[] {UnaryFn.EXP, UnaryFn.RELU, UnaryFn.GELU, UnaryFn.ROUND}) {
            float[] x = randomF32(rnd, 3 * n, -10, 10), y = new float[n];
            UnaryKernels.f32(fn, 0, 0, x, 1, 3, y, 0, n);
            for (int i = 0; i < n; i++) assertClose32(fn, x[1 + 3 * i], ref(fn, 0, 0, x[1 + 3 * i]), y[i], "parallel stride 3");
            float[] before = x.clone();
            UnaryKernels.f32(fn, 0, 0, x, 0, 1, x, 0, n);
            for (int i = 0; i < n; i++) assertClose32(fn, before[i], ref(fn, 0, 0, before[i]), x[i], "parallel in place");
            double[] xd = new double[n], yd = new double[n];
            for (int i = 0; i < n; i++) xd[i] = rnd.nextGaussian();
            UnaryKernels.f64(fn, 0, 0, xd, 0, 1, yd, 0, n);
            for (int i = 0; i < n; i++) assertClose64(fn, xd[i], ref(fn, 0, 0, xd[i]), yd[i], "parallel f64");
        }
    }

    @Test
    void rejectsBadRanges() {
        float[] x = new float[10], y = new float[10];
        assertThrows(IndexOutOfBoundsException.class, () -> UnaryKernels.f32(UnaryFn.EXP, 0, 0, x, 5, 1, y, 0, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> UnaryKernels.f32(UnaryFn.EXP, 0, 0, x, 0, 2, y, 0, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> UnaryKernels.f32(UnaryFn.EXP, 0, 0, x, 0, 1, y, 5, 6));
        assertThrows(IllegalArgumentException.class, () -> UnaryKernels.f32(UnaryFn.EXP, 0, 0, x, 0, 1, y, 0, -1));
    }
}
