package org.sinter.ops;

import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.ScalarConversion;
import org.sinter.Tensor;
import org.sinter.kernels.UnaryKernels.UnaryFn;

/**
 * Elementwise functions of one tensor: each call is one {@link Unary} (function and parameters)
 * with its result dtype rule; {@link Cast} converts dtypes; {@link ReluBackward} is ReLU's
 * gradient as one op. Gradients are in {@link Derivatives}.
 */
public final class UnaryOps {
    private UnaryOps() {}

    /**
     * One elementwise unary op call. {@code floatScalars}: the scalar parameters came as Java
     * doubles, so an integer input promotes to float32 (clamp, pow); otherwise it stays integer.
     */
    public record Unary(UnaryFn fn, double p0, double p1, boolean floatScalars) implements InPlaceOp {
        public Unary(UnaryFn fn, double p0, double p1) {
            this(fn, p0, p1, true);
        }

        @Override
        public String name() {
            return fn == UnaryFn.POW_SCALAR || fn == UnaryFn.RPOW_SCALAR ? "pow" : fn.name().toLowerCase();
        }

        @Override
        public Map<String, Object> attributes() {
            return switch (fn) {
                case LEAKY_RELU -> Map.of("negative_slope", p0);
                case SOFTPLUS -> Map.of("beta", p0, "threshold", p1);
                case CLAMP -> Map.of("min", p0, "max", p1);
                case POW_SCALAR -> Map.of("exponent", p0);
                case RPOW_SCALAR -> Map.of("base", p0);
                case AFFINE -> Map.of("scale", p0, "shift", p1);
                default -> Map.of();
            };
        }

        /** Integer inputs stay integer for sign-like ops; floating math promotes them to float32. */
        public DType resultType(DType in) {
            return switch (fn) {
                case NEG, ABS, SIGN, RELU, FLOOR, CEIL, ROUND, TRUNC, SQUARE -> {
                    if (in == DType.BOOL && fn == UnaryFn.NEG) {
                        throw new IllegalArgumentException(name() + ": negation, the `-` operator, on a bool tensor is not supported; use logicalNot()");
                    }
                    yield in;
                }
                case CLAMP, POW_SCALAR -> floatScalars ? TypePromotion.toFloating(in) : (in == DType.BOOL ? DType.INT64 : in);
                default -> TypePromotion.toFloating(in);
            };
        }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            DType rt = resultType(in[0].dtype());
            if (fn == UnaryFn.CLAMP) {
                // The bounds become elements of the result's dtype (infinities are "no bound" and fit floats).
                ScalarConversion.checked(name(), p0, rt);
                ScalarConversion.checked(name(), p1, rt);
            }
            return Op.one(in[0].shape(), rt);
        }

        @Override
        public boolean differentiable() {
            return fn != UnaryFn.ISNAN;
        }

        @Override
        public boolean savesInputs() {
            return switch (fn) {
                case NEG, EXP, EXPM1, TANH, SIGMOID, SQRT, RSQRT, RECIPROCAL, AFFINE, EXP2, RPOW_SCALAR, TAN, RELU -> false;
                default -> true;
            };
        }

        @Override
        public boolean savesOutputs() {
            return switch (fn) {
                case EXP, EXPM1, TANH, SIGMOID, SQRT, RSQRT, RECIPROCAL, EXP2, RPOW_SCALAR, TAN, RELU -> true;
                default -> false;
            };
        }
    }

    /** ReLU's gradient as one op, {@code g * (y > 0)}: inputs g and y. */
    public record ReluBackward() implements Op {
        @Override public String name() { return "threshold_backward"; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            return Op.one(org.sinter.Shape.broadcast(name(), in[0].shape(), in[1].shape()), in[0].dtype());
        }
    }

    /** A dtype conversion; differentiable between floating types (the gradient is cast back). */
    public record Cast(DType to) implements Op {
        @Override public String name() { return "to"; }

        @Override public Map<String, Object> attributes() { return Map.of("dtype", to.torchName()); }

        @Override public boolean differentiable() { return to.isFloatingPoint(); }

        @Override public boolean savesInputs() { return false; }

        @Override public TensorSpec[] meta(Tensor... in) { return Op.one(in[0].shape(), to); }
    }

    static Tensor apply(UnaryFn fn, Tensor x, double p0, double p1) {
        return Dispatch.apply1(new Unary(fn, p0, p1), x);
    }

    /** The in-place form ({@code relu_}, {@code sqrt_}, {@code clamp_}). */
    public static Tensor inPlace(UnaryFn fn, Tensor x, double p0, double p1) {
        return Dispatch.applyInPlace(new Unary(fn, p0, p1), x);
    }

    public static Tensor neg(Tensor x) { return apply(UnaryFn.NEG, x, 0, 0); }
    public static Tensor abs(Tensor x) { return apply(UnaryFn.ABS, x, 0, 0); }
    public static Tensor sign(Tensor x) { return apply(UnaryFn.SIGN, x, 0, 0); }
    public static Tensor exp(Tensor x) { return apply(UnaryFn.EXP, x, 0, 0); }
    public static Tensor expm1(Tensor x) { return apply(UnaryFn.EXPM1, x, 0, 0); }
    public static Tensor log(Tensor x) { return apply(UnaryFn.LOG, x, 0, 0); }
    public static Tensor log1p(Tensor x) { return apply(UnaryFn.LOG1P, x, 0, 0); }
    public static Tensor log2(Tensor x) { return apply(UnaryFn.LOG2, x, 0, 0); }
    public static Tensor log10(Tensor x) { return apply(UnaryFn.LOG10, x, 0, 0); }
    public static Tensor sqrt(Tensor x) { return apply(UnaryFn.SQRT, x, 0, 0); }
    public static Tensor rsqrt(Tensor x) { return apply(UnaryFn.RSQRT, x, 0, 0); }
    public static Tensor reciprocal(Tensor x) { return apply(UnaryFn.RECIPROCAL, x, 0, 0); }
    public static Tensor sin(Tensor x) { return apply(UnaryFn.SIN, x, 0, 0); }
    public static Tensor cos(Tensor x) { return apply(UnaryFn.COS, x, 0, 0); }
    public static Tensor tan(Tensor x) { return apply(UnaryFn.TAN, x, 0, 0); }
    public static Tensor tanh(Tensor x) { return apply(UnaryFn.TANH, x, 0, 0); }
    public static Tensor sigmoid(Tensor x) { return apply(UnaryFn.SIGMOID, x, 0, 0); }
    public static Tensor relu(Tensor x) { return apply(UnaryFn.RELU, x, 0, 0); }
    public static Tensor leakyRelu(Tensor x, double slope) { return apply(UnaryFn.LEAKY_RELU, x, slope, 0); }
    public static Tensor gelu(Tensor x, boolean tanh) { return apply(tanh ? UnaryFn.GELU_TANH : UnaryFn.GELU, x, 0, 0); }
    public static Tensor silu(Tensor x) { return apply(UnaryFn.SILU, x, 0, 0); }
    public static Tensor softplus(Tensor x, double beta, double threshold) { return apply(UnaryFn.SOFTPLUS, x, beta, threshold); }
    public static Tensor erf(Tensor x) { return apply(UnaryFn.ERF, x, 0, 0); }
    public static Tensor rounding(Tensor x, UnaryFn fn) { return apply(fn, x, 0, 0); }

    /** Any unary function by its kernel enum (asin, sinh, …: the less common ones). */
    public static Tensor unary(UnaryFn fn, Tensor x) { return apply(fn, x, 0, 0); }

    public static Tensor clamp(Tensor x, double min, double max) {
        if (Double.isNaN(min) || Double.isNaN(max)) throw new IllegalArgumentException("clamp: min and max must not be NaN");
        return apply(UnaryFn.CLAMP, x, min, max);
    }

    /** clamp with integer bounds: integer tensors stay integer. */
    public static Tensor clamp(Tensor x, long min, long max) {
        return Dispatch.apply1(new Unary(UnaryFn.CLAMP, min, max, false), x);
    }

    /** x ** p for a floating scalar exponent (integer inputs promote to float32). */
    public static Tensor powScalar(Tensor x, double p) { return apply(UnaryFn.POW_SCALAR, x, p, 0); }

    /** x ** p for an integer exponent (integer inputs stay integer). */
    public static Tensor powScalar(Tensor x, long p) {
        if (!x.dtype().isFloatingPoint() && p < 0) {
            throw new IllegalArgumentException("pow: integers to negative integer powers are not allowed");
        }
        return Dispatch.apply1(new Unary(UnaryFn.POW_SCALAR, p, 0, false), x);
    }

    /** A dtype conversion; differentiable between floating types (the gradient is cast back). */
    public static Tensor cast(Tensor x, DType dt) {
        return Dispatch.apply1(new Cast(dt), x);
    }

    static Tensor reluBackward(Tensor g, Tensor y) {
        return Dispatch.apply1(new ReluBackward(), g, y);
    }
}
