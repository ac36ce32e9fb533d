package org.sinter.kernels;

/** TEMPORARY scalar unary kernels (replaced by the SIMD kernels). */
public final class UnaryKernels {
    private UnaryKernels() {}

    public static void f32(UnaryFn fn, float p0, float p1, float[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = (float) apply(fn, p0, p1, x[xOff + i * xStride]);
    }

    public static void f64(UnaryFn fn, double p0, double p1, double[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = apply(fn, p0, p1, x[xOff + i * xStride]);
    }

    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax > 6) return Math.signum(x);
        double sum = ax, term = ax, x2 = ax * ax;
        for (int n = 1; n < 200; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return Math.copySign(2 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum, x);
    }

    static double apply(UnaryFn fn, double p0, double p1, double v) {
        return switch (fn) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SIGN -> v > 0 ? 1 : v < 0 ? -1 : v == 0 ? 0 : v;
            case EXP -> Math.exp(v);
            case LOG -> Math.log(v);
            case LOG1P -> Math.log1p(v);
            case SQRT -> Math.sqrt(v);
            case RSQRT -> 1 / Math.sqrt(v);
            case SIN -> Math.sin(v);
            case COS -> Math.cos(v);
            case TANH -> Math.tanh(v);
            case SIGMOID -> 1 / (1 + Math.exp(-v));
            case RELU -> v > 0 ? v : (v != v ? v : 0);
            case LEAKY_RELU -> v > 0 ? v : v * p0;
            case GELU -> v * 0.5 * (1 + erf(v / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            case SILU -> v / (1 + Math.exp(-v));
            case SOFTPLUS -> v * p0 > p1 ? v : Math.log1p(Math.exp(v * p0)) / p0;
            case CLAMP -> v != v ? v : Math.min(Math.max(v, p0), p1);
            case POW_SCALAR -> Math.pow(v, p0);
            case RPOW_SCALAR -> Math.pow(p0, v);
            case ERF -> erf(v);
            case EXPM1 -> Math.expm1(v);
            case RECIPROCAL -> 1 / v;
            case SQUARE -> v * v;
            case FLOOR -> Math.floor(v);
            case CEIL -> Math.ceil(v);
            case ROUND -> Math.rint(v);
            case TRUNC -> v < 0 ? Math.ceil(v) : Math.floor(v);
            case LOG2 -> Math.log(v) / Math.log(2);
            case LOG10 -> Math.log10(v);
            case TAN -> Math.tan(v);
            case ASIN -> Math.asin(v);
            case ACOS -> Math.acos(v);
            case ATAN -> Math.atan(v);
            case SINH -> Math.sinh(v);
            case COSH -> Math.cosh(v);
            case ASINH -> Math.log(v + Math.sqrt(v * v + 1));
            case ACOSH -> Math.log(v + Math.sqrt(v * v - 1));
            case ATANH -> 0.5 * Math.log((1 + v) / (1 - v));
            case EXP2 -> Math.pow(2, v);
            case AFFINE -> p0 * v + p1;
            case ISNAN -> v != v ? 1 : 0;
        };
    }
}
