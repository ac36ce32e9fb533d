package org.sinter.kernels;

import static jdk.incubator.vector.VectorOperators.*;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise functions of one array: {@code y[yOff + i] = fn(x[xOff + i*xStride])} for
 * {@code i < n}. The output is contiguous; the input stride picks the path: 1 runs SIMD, 0 computes
 * one value and fills, any other stride gathers blocks into {@code y} and runs SIMD there. In-place
 * ({@code x == y}, same offset, stride 1) is supported; other overlaps of x and y are not.
 *
 * <p>Each {@link UnaryFn} has its own loop with constant Vector API operators, so C2 compiles every
 * loop to straight SIMD code (the JDK backs LOG, TANH, SIN... with Intel SVML on x86; exp, on the
 * training path, is {@link VectorExp}, which gives the same bits in every JIT tier).
 */
public final class UnaryKernels {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** Strided inputs are gathered into the output this many elements at a time (stays in L1). */
    private static final int GATHER_BLOCK = 1024;
    private static final int FL = FS.length(), DL = DS.length();

    /** One function's SIMD loop over contiguous data; returns how many leading elements it did. */
    @FunctionalInterface
    private interface F32Loop {
        int run(float[] x, int xo, float[] y, int yo, int n, float p0, float p1);
    }

    @FunctionalInterface
    private interface F64Loop {
        int run(double[] x, int xo, double[] y, int yo, int n, double p0, double p1);
    }

    // One loop object per function, called through a megamorphic interface call on purpose: each
    // loop is then compiled on its own, and using a new function never deoptimizes the others.
    private static final F32Loop[] F32_LOOPS = new F32Loop[UnaryFn.values().length];
    private static final F64Loop[] F64_LOOPS = new F64Loop[UnaryFn.values().length];

    static {
        for (UnaryFn fn : UnaryFn.values()) {
            F32_LOOPS[fn.ordinal()] = f32Loop(fn);
            F64_LOOPS[fn.ordinal()] = f64Loop(fn);
        }
    }

    private UnaryKernels() {}

    public static void f32(UnaryFn fn, float p0, float p1, float[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        Checks.strided("UnaryKernels.f32", fn, "x", x.length, xOff, xStride, n);
        Checks.contiguous("UnaryKernels.f32", fn, "y", y.length, yOff, n);
        if (n == 0) return;
        if (fn == UnaryFn.CLAMP && (p0 != p0 || p1 != p1)) {
            Arrays.fill(y, yOff, yOff + n, Float.NaN); // PyTorch: a NaN bound gives NaN
            return;
        }
        if (xStride == 0) {
            Arrays.fill(y, yOff, yOff + n, ScalarMath.unary(fn, p0, p1, x[xOff]));
            return;
        }
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN,
                    (s, e) -> f32Serial(fn, p0, p1, x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f32Serial(fn, p0, p1, x, xOff, xStride, y, yOff, n);
        }
    }

    public static void f64(UnaryFn fn, double p0, double p1, double[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        Checks.strided("UnaryKernels.f64", fn, "x", x.length, xOff, xStride, n);
        Checks.contiguous("UnaryKernels.f64", fn, "y", y.length, yOff, n);
        if (n == 0) return;
        if (fn == UnaryFn.CLAMP && (p0 != p0 || p1 != p1)) {
            Arrays.fill(y, yOff, yOff + n, Double.NaN);
            return;
        }
        if (xStride == 0) {
            Arrays.fill(y, yOff, yOff + n, ScalarMath.unary(fn, p0, p1, x[xOff]));
            return;
        }
        if (Checks.parallel(n)) {
            Parallel.forRange(n, Checks.GRAIN,
                    (s, e) -> f64Serial(fn, p0, p1, x, xOff + s * xStride, xStride, y, yOff + s, e - s));
        } else {
            f64Serial(fn, p0, p1, x, xOff, xStride, y, yOff, n);
        }
    }

    private static void f32Serial(UnaryFn fn, float p0, float p1, float[] x, int xo, int xs, float[] y, int yo, int n) {
        if (xs == 1) {
            f32Contiguous(fn, p0, p1, x, xo, y, yo, n);
        } else if (x == y) { // a strided view of the output itself: element by element, in order
            for (int i = 0; i < n; i++) y[yo + i] = ScalarMath.unary(fn, p0, p1, x[xo + i * xs]);
        } else {
            for (int b = 0; b < n; b += GATHER_BLOCK) {
                int len = Math.min(GATHER_BLOCK, n - b);
                for (int i = 0; i < len; i++) y[yo + b + i] = x[xo + (b + i) * xs];
                f32Contiguous(fn, p0, p1, y, yo + b, y, yo + b, len);
            }
        }
    }

    private static void f64Serial(UnaryFn fn, double p0, double p1, double[] x, int xo, int xs, double[] y, int yo, int n) {
        if (xs == 1) {
            f64Contiguous(fn, p0, p1, x, xo, y, yo, n);
        } else if (x == y) {
            for (int i = 0; i < n; i++) y[yo + i] = ScalarMath.unary(fn, p0, p1, x[xo + i * xs]);
        } else {
            for (int b = 0; b < n; b += GATHER_BLOCK) {
                int len = Math.min(GATHER_BLOCK, n - b);
                for (int i = 0; i < len; i++) y[yo + b + i] = x[xo + (b + i) * xs];
                f64Contiguous(fn, p0, p1, y, yo + b, y, yo + b, len);
            }
        }
    }

    /** PyTorch computes these powers with cheaper functions (pow(x, 0.5) is sqrt, so sqrt(-inf) = NaN). */
    private static UnaryFn powAlias(double e) {
        return e == 2 ? UnaryFn.SQUARE : e == 0.5 ? UnaryFn.SQRT : e == -0.5 ? UnaryFn.RSQRT
                : e == -1 ? UnaryFn.RECIPROCAL : UnaryFn.POW_SCALAR;
    }

    private static void f32Contiguous(UnaryFn fn, float p0, float p1, float[] x, int xo, float[] y, int yo, int n) {
        if (fn == UnaryFn.POW_SCALAR) fn = powAlias(p0);
        int i = F32_LOOPS[fn.ordinal()].run(x, xo, y, yo, n, p0, p1);
        for (; i < n; i++) y[yo + i] = ScalarMath.unary(fn, p0, p1, x[xo + i]);
    }

    private static void f64Contiguous(UnaryFn fn, double p0, double p1, double[] x, int xo, double[] y, int yo, int n) {
        if (fn == UnaryFn.POW_SCALAR) fn = powAlias(p0);
        int i = F64_LOOPS[fn.ordinal()].run(x, xo, y, yo, n, p0, p1);
        for (; i < n; i++) y[yo + i] = ScalarMath.unary(fn, p0, p1, x[xo + i]);
    }

    private static FloatVector ld(float[] a, int i) {
        return FloatVector.fromArray(FS, a, i);
    }

    private static DoubleVector ld(double[] a, int i) {
        return DoubleVector.fromArray(DS, a, i);
    }

    private static F32Loop f32Loop(UnaryFn fn) {
        return switch (fn) {
            case NEG -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).neg().intoArray(y, yo + i);
                return i;
            };
            case ABS -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).abs().intoArray(y, yo + i);
                return i;
            };
            case SIGN -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.sign(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case EXP -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VectorExp.exp(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case LOG -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(LOG).intoArray(y, yo + i);
                return i;
            };
            case LOG1P -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(LOG1P).intoArray(y, yo + i);
                return i;
            };
            case SQRT -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(SQRT).intoArray(y, yo + i);
                return i;
            };
            case RSQRT -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                var one = FloatVector.broadcast(FS, 1f);
                for (; i < ub; i += FL) one.div(ld(x, xo + i).lanewise(SQRT)).intoArray(y, yo + i);
                return i;
            };
            case SIN -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(SIN).intoArray(y, yo + i);
                return i;
            };
            case COS -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(COS).intoArray(y, yo + i);
                return i;
            };
            case TAN -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(TAN).intoArray(y, yo + i);
                return i;
            };
            case ASIN -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(ASIN).intoArray(y, yo + i);
                return i;
            };
            case ACOS -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(ACOS).intoArray(y, yo + i);
                return i;
            };
            case ATAN -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(ATAN).intoArray(y, yo + i);
                return i;
            };
            case SINH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(SINH).intoArray(y, yo + i);
                return i;
            };
            case COSH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(COSH).intoArray(y, yo + i);
                return i;
            };
            case TANH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(TANH).intoArray(y, yo + i);
                return i;
            };
            case ASINH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.asinh(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case ACOSH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.acosh(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case ATANH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.atanh(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case SIGMOID -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.sigmoid(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case RELU -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) {
                    FloatVector v = ld(x, xo + i);
                    v.blend(0f, v.compare(LT, 0f)).intoArray(y, yo + i);
                }
                return i;
            };
            case LEAKY_RELU -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) {
                    FloatVector v = ld(x, xo + i);
                    v.blend(v.mul(p0), v.compare(LT, 0f)).intoArray(y, yo + i);
                }
                return i;
            };
            case GELU -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.gelu(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case GELU_TANH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.geluTanh(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case SILU -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.silu(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case SOFTPLUS -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.softplus(ld(x, xo + i), p0, p1).intoArray(y, yo + i);
                return i;
            };
            case CLAMP -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.clamp(ld(x, xo + i), p0, p1).intoArray(y, yo + i);
                return i;
            };
            case POW_SCALAR -> (x, xo, y, yo, n, p0, p1) -> {
                if (p0 == 0) Arrays.fill(y, yo, yo + n, 1f); // x^0 = 1, NaN included
                else if (p0 == 1) System.arraycopy(x, xo, y, yo, n);
                else return Float.isInfinite(p0) ? 0 : VecMath.powF32(x, xo, y, yo, n, p0);
                return n;
            };
            case RPOW_SCALAR -> (x, xo, y, yo, n, p0, p1) ->
                    p0 > 0 && p0 != 1 && p0 < Float.POSITIVE_INFINITY ? VecMath.rpowF32(x, xo, y, yo, n, Math.log(p0)) : 0;
            case ERF -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) Erf.erf(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case EXPM1 -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(EXPM1).intoArray(y, yo + i);
                return i;
            };
            case RECIPROCAL -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                var one = FloatVector.broadcast(FS, 1f);
                for (; i < ub; i += FL) one.div(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case SQUARE -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) {
                    FloatVector v = ld(x, xo + i);
                    v.mul(v).intoArray(y, yo + i);
                }
                return i;
            };
            case FLOOR -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.floor(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case CEIL -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.ceil(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case ROUND -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.round(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case TRUNC -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.trunc(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case LOG2 -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) VecMath.log2(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case LOG10 -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).lanewise(LOG10).intoArray(y, yo + i);
                return i;
            };
            case EXP2 -> (x, xo, y, yo, n, p0, p1) -> VecMath.rpowF32(x, xo, y, yo, n, VecMath.LN2);
            case AFFINE -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                for (; i < ub; i += FL) ld(x, xo + i).fma(p0, p1).intoArray(y, yo + i);
                return i;
            };
            case ISNAN -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = FS.loopBound(n);
                FloatVector zero = FloatVector.zero(FS);
                for (; i < ub; i += FL) zero.blend(1f, ld(x, xo + i).test(IS_NAN)).intoArray(y, yo + i);
                return i;
            };
        };
    }

    private static F64Loop f64Loop(UnaryFn fn) {
        return switch (fn) {
            case NEG -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).neg().intoArray(y, yo + i);
                return i;
            };
            case ABS -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).abs().intoArray(y, yo + i);
                return i;
            };
            case SIGN -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.sign(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case EXP -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VectorExp.exp(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case LOG -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(LOG).intoArray(y, yo + i);
                return i;
            };
            case LOG1P -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(LOG1P).intoArray(y, yo + i);
                return i;
            };
            case SQRT -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(SQRT).intoArray(y, yo + i);
                return i;
            };
            case RSQRT -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                var one = DoubleVector.broadcast(DS, 1.0);
                for (; i < ub; i += DL) one.div(ld(x, xo + i).lanewise(SQRT)).intoArray(y, yo + i);
                return i;
            };
            case SIN -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(SIN).intoArray(y, yo + i);
                return i;
            };
            case COS -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(COS).intoArray(y, yo + i);
                return i;
            };
            case TAN -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(TAN).intoArray(y, yo + i);
                return i;
            };
            case ASIN -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(ASIN).intoArray(y, yo + i);
                return i;
            };
            case ACOS -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(ACOS).intoArray(y, yo + i);
                return i;
            };
            case ATAN -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(ATAN).intoArray(y, yo + i);
                return i;
            };
            case SINH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(SINH).intoArray(y, yo + i);
                return i;
            };
            case COSH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(COSH).intoArray(y, yo + i);
                return i;
            };
            case TANH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(TANH).intoArray(y, yo + i);
                return i;
            };
            case ASINH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.asinh(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case ACOSH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.acosh(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case ATANH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.atanh(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case SIGMOID -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.sigmoid(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case RELU -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) {
                    DoubleVector v = ld(x, xo + i);
                    v.blend(0.0, v.compare(LT, 0.0)).intoArray(y, yo + i);
                }
                return i;
            };
            case LEAKY_RELU -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) {
                    DoubleVector v = ld(x, xo + i);
                    v.blend(v.mul(p0), v.compare(LT, 0.0)).intoArray(y, yo + i);
                }
                return i;
            };
            case GELU -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.gelu(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case GELU_TANH -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.geluTanh(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case SILU -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.silu(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case SOFTPLUS -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.softplus(ld(x, xo + i), p0, p1).intoArray(y, yo + i);
                return i;
            };
            case CLAMP -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.clamp(ld(x, xo + i), p0, p1).intoArray(y, yo + i);
                return i;
            };
            case POW_SCALAR -> (x, xo, y, yo, n, p0, p1) -> {
                if (p0 == 0) Arrays.fill(y, yo, yo + n, 1.0);
                else if (p0 == 1) System.arraycopy(x, xo, y, yo, n);
                else return 0; // scalar Math.pow keeps full double accuracy
                return n;
            };
            case RPOW_SCALAR -> (x, xo, y, yo, n, p0, p1) -> 0; // scalar Math.pow keeps full double accuracy
            case ERF -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) Erf.erf(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case EXPM1 -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(EXPM1).intoArray(y, yo + i);
                return i;
            };
            case RECIPROCAL -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                var one = DoubleVector.broadcast(DS, 1.0);
                for (; i < ub; i += DL) one.div(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case SQUARE -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) {
                    DoubleVector v = ld(x, xo + i);
                    v.mul(v).intoArray(y, yo + i);
                }
                return i;
            };
            case FLOOR -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.floor(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case CEIL -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.ceil(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case ROUND -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.round(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case TRUNC -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.trunc(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case LOG2 -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) VecMath.log2(ld(x, xo + i)).intoArray(y, yo + i);
                return i;
            };
            case LOG10 -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).lanewise(LOG10).intoArray(y, yo + i);
                return i;
            };
            case EXP2 -> (x, xo, y, yo, n, p0, p1) -> 0; // scalar Math.pow keeps full double accuracy
            case AFFINE -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                for (; i < ub; i += DL) ld(x, xo + i).fma(p0, p1).intoArray(y, yo + i);
                return i;
            };
            case ISNAN -> (x, xo, y, yo, n, p0, p1) -> {
                int i = 0, ub = DS.loopBound(n);
                DoubleVector zero = DoubleVector.zero(DS);
                for (; i < ub; i += DL) zero.blend(1.0, ld(x, xo + i).test(IS_NAN)).intoArray(y, yo + i);
                return i;
            };
        };
    }
}
