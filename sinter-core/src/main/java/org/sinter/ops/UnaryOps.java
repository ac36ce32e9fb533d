package org.sinter.ops;

import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.SavedContext;
import org.sinter.Tensor;
import org.sinter.kernels.UnaryFn;

/**
 * Elementwise functions of one tensor: each is one {@link UnaryOp} (name, function, parameters),
 * its result dtype rule and its derivative, written with tensor ops so it differentiates again.
 */
public final class UnaryOps {
    private UnaryOps() {}

    /** One elementwise unary op call. */
    static final class UnaryOp extends InPlaceOp {
        final String name;
        final UnaryFn fn;
        final double p0, p1;
        /** The scalar parameters came as Java doubles: an integer input then promotes to float32. */
        final boolean floatScalars;

        UnaryOp(String name, UnaryFn fn, double p0, double p1) {
            this(name, fn, p0, p1, true);
        }

        UnaryOp(String name, UnaryFn fn, double p0, double p1, boolean floatScalars) {
            this.name = name;
            this.fn = fn;
            this.p0 = p0;
            this.p1 = p1;
            this.floatScalars = floatScalars;
        }

        @Override public String name() { return name; }

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
        DType resultType(DType in) {
            return switch (fn) {
                case NEG, ABS, SIGN, RELU, FLOOR, CEIL, ROUND, TRUNC, SQUARE -> in == DType.BOOL && fn == UnaryFn.NEG
                        ? failBool() : in;
                case CLAMP, POW_SCALAR -> floatScalars ? TypePromotion.toFloating(in) : (in == DType.BOOL ? DType.INT64 : in);
                default -> TypePromotion.toFloating(in);
            };
        }

        private DType failBool() {
            throw new IllegalArgumentException(name + ": negation, the `-` operator, on a bool tensor is not supported; use logicalNot()");
        }

        @Override
        public Tensor[] forward(Tensor... in) {
            return new Tensor[] {Elementwise.unary(fn, in[0], p0, p1, resultType(in[0].dtype()))};
        }

        @Override
        public void forwardInto(Tensor out, Tensor... in) {
            DType rt = resultType(in[0].dtype());
            if (rt.kind().ordinal() > out.dtype().kind().ordinal()) {
                throw new IllegalArgumentException(name + "_: result type " + rt + " can't be cast to the desired output type " + out.dtype());
            }
            Copy.copyInto(out, Elementwise.unary(fn, in[0], p0, p1, rt));
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

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            Tensor g = grads[0];
            return new Tensor[] {switch (fn) {
                case NEG -> g.neg();
                case ABS -> g.mul(ctx.input(0).sign());
                case EXP -> g.mul(ctx.output(0));
                case EXPM1 -> g.mul(ctx.output(0).add(1.0));
                case EXP2 -> g.mul(ctx.output(0)).mul(Math.log(2));
                case LOG -> g.div(ctx.input(0));
                case LOG1P -> g.div(ctx.input(0).add(1.0));
                case LOG2 -> g.div(ctx.input(0).mul(Math.log(2)));
                case LOG10 -> g.div(ctx.input(0).mul(Math.log(10)));
                case SQRT -> g.div(ctx.output(0).mul(2.0));
                case RSQRT -> g.mul(ctx.output(0).pow(3)).mul(-0.5);
                case RECIPROCAL -> g.mul(ctx.output(0).mul(ctx.output(0))).neg();
                case SQUARE -> g.mul(ctx.input(0).mul(2.0));
                case SIN -> g.mul(ctx.input(0).cos());
                case COS -> g.mul(ctx.input(0).sin()).neg();
                case TAN -> g.mul(ctx.output(0).mul(ctx.output(0)).add(1.0));
                case TANH -> g.mul(ctx.output(0).mul(ctx.output(0)).rsub(1.0));
                case SIGMOID -> g.mul(ctx.output(0).mul(ctx.output(0).rsub(1.0)));
                case RELU -> Dispatch.apply1(new ReluBackwardOp(), g, ctx.output(0));
                case LEAKY_RELU -> g.mul(Tensor.where(ctx.input(0).gt(0.0), Tensor.scalar(1, g.dtype()), Tensor.scalar(p0, g.dtype())));
                case GELU -> {
                    Tensor x = ctx.input(0);
                    Tensor cdf = x.mul(1 / Math.sqrt(2)).erf().add(1.0).mul(0.5);
                    Tensor pdf = x.mul(x).mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI));
                    yield g.mul(cdf.add(x.mul(pdf)));
                }
                case GELU_TANH -> {
                    Tensor x = ctx.input(0);
                    double k = Math.sqrt(2 / Math.PI);
                    Tensor x2 = x.mul(x);
                    Tensor t = x.add(x2.mul(x).mul(0.044715)).mul(k).tanh();
                    Tensor left = t.add(1.0).mul(0.5);
                    Tensor right = x.mul(0.5).mul(t.mul(t).rsub(1.0)).mul(x2.mul(3 * 0.044715).add(1.0).mul(k));
                    yield g.mul(left.add(right));
                }
                case SILU -> {
                    Tensor x = ctx.input(0);
                    Tensor s = x.sigmoid();
                    yield g.mul(s.mul(x.mul(s.rsub(1.0)).add(1.0)));
                }
                case SOFTPLUS -> {
                    Tensor bx = ctx.input(0).mul(p0);
                    yield Tensor.where(bx.gt(p1), g, g.mul(bx.sigmoid()));
                }
                case CLAMP -> {
                    Tensor x = ctx.input(0);
                    yield g.mul(x.ge(p0).logicalAnd(x.le(p1)).to(g.dtype()));
                }
                case POW_SCALAR -> p0 == 0 ? Tensor.zerosLike(g) : g.mul(ctx.input(0).pow(p0 - 1).mul(p0));
                case RPOW_SCALAR -> g.mul(ctx.output(0)).mul(Math.log(p0));
                case ERF -> {
                    Tensor x = ctx.input(0);
                    yield g.mul(x.mul(x).neg().exp().mul(2 / Math.sqrt(Math.PI)));
                }
                case ATAN -> g.div(ctx.input(0).mul(ctx.input(0)).add(1.0));
                case ASIN -> g.mul(ctx.input(0).mul(ctx.input(0)).rsub(1.0).rsqrt());
                case ACOS -> g.mul(ctx.input(0).mul(ctx.input(0)).rsub(1.0).rsqrt()).neg();
                case SINH -> g.mul(UnaryOps.apply("cosh", UnaryFn.COSH, ctx.input(0), 0, 0));
                case COSH -> g.mul(UnaryOps.apply("sinh", UnaryFn.SINH, ctx.input(0), 0, 0));
                case ASINH -> g.mul(ctx.input(0).mul(ctx.input(0)).add(1.0).rsqrt());
                case ACOSH -> g.mul(ctx.input(0).mul(ctx.input(0)).sub(1.0).rsqrt());
                case ATANH -> g.div(ctx.input(0).mul(ctx.input(0)).rsub(1.0));
                case AFFINE -> g.mul(p0);
                case SIGN, FLOOR, CEIL, ROUND, TRUNC -> Tensor.zerosLike(g);
                default -> throw new UnsupportedOperationException("the derivative for '" + name + "' is not implemented");
            }};
        }
    }

    /**
     * ReLU's gradient as one op, {@code g * (y > 0)}, fused into one pass for dense float tensors;
     * its own gradient flows to g only (y's derivative is zero almost everywhere).
     */
    static final class ReluBackwardOp extends Op {
        @Override public String name() { return "threshold_backward"; }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor g = in[0], y = in[1];
            DType dt = g.dtype();
            if (dt == y.dtype() && (dt == DType.FLOAT32 || dt == DType.FLOAT64) && g.isContiguous() && y.isContiguous()
                    && java.util.Arrays.equals(g.shape(), y.shape())) {
                Tensor out = Tensor.empty(dt, g.shape());
                if (dt == DType.FLOAT32) {
                    org.sinter.kernels.ActivationBackwardKernels.reluBackwardF32(g.storage().floats(), g.storageOffset(),
                            y.storage().floats(), y.storageOffset(), out.storage().floats(), 0, g.numel());
                } else {
                    org.sinter.kernels.ActivationBackwardKernels.reluBackwardF64(g.storage().doubles(), g.storageOffset(),
                            y.storage().doubles(), y.storageOffset(), out.storage().doubles(), 0, g.numel());
                }
                return new Tensor[] {out};
            }
            return new Tensor[] {Tensor.where(y.gt(0.0), g, Tensor.scalar(0, g.dtype()))};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... gg) {
            return new Tensor[] {Dispatch.apply1(new ReluBackwardOp(), gg[0], ctx.input(1)), null};
        }
    }

    static Tensor apply(String name, UnaryFn fn, Tensor x, double p0, double p1) {
        return Dispatch.apply1(new UnaryOp(name, fn, p0, p1), x);
    }

    /** The in-place form ({@code relu_}, {@code sqrt_}, {@code clamp_}). */
    public static Tensor inPlace(UnaryFn fn, Tensor x, double p0, double p1) {
        return Dispatch.applyInPlace(new UnaryOp(fn.name().toLowerCase(), fn, p0, p1), x);
    }

    public static Tensor neg(Tensor x) { return apply("neg", UnaryFn.NEG, x, 0, 0); }
    public static Tensor abs(Tensor x) { return apply("abs", UnaryFn.ABS, x, 0, 0); }
    public static Tensor sign(Tensor x) { return apply("sign", UnaryFn.SIGN, x, 0, 0); }
    public static Tensor exp(Tensor x) { return apply("exp", UnaryFn.EXP, x, 0, 0); }
    public static Tensor expm1(Tensor x) { return apply("expm1", UnaryFn.EXPM1, x, 0, 0); }
    public static Tensor log(Tensor x) { return apply("log", UnaryFn.LOG, x, 0, 0); }
    public static Tensor log1p(Tensor x) { return apply("log1p", UnaryFn.LOG1P, x, 0, 0); }
    public static Tensor log2(Tensor x) { return apply("log2", UnaryFn.LOG2, x, 0, 0); }
    public static Tensor log10(Tensor x) { return apply("log10", UnaryFn.LOG10, x, 0, 0); }
    public static Tensor sqrt(Tensor x) { return apply("sqrt", UnaryFn.SQRT, x, 0, 0); }
    public static Tensor rsqrt(Tensor x) { return apply("rsqrt", UnaryFn.RSQRT, x, 0, 0); }
    public static Tensor reciprocal(Tensor x) { return apply("reciprocal", UnaryFn.RECIPROCAL, x, 0, 0); }
    public static Tensor sin(Tensor x) { return apply("sin", UnaryFn.SIN, x, 0, 0); }
    public static Tensor cos(Tensor x) { return apply("cos", UnaryFn.COS, x, 0, 0); }
    public static Tensor tan(Tensor x) { return apply("tan", UnaryFn.TAN, x, 0, 0); }
    public static Tensor tanh(Tensor x) { return apply("tanh", UnaryFn.TANH, x, 0, 0); }
    public static Tensor sigmoid(Tensor x) { return apply("sigmoid", UnaryFn.SIGMOID, x, 0, 0); }
    public static Tensor relu(Tensor x) { return apply("relu", UnaryFn.RELU, x, 0, 0); }
    public static Tensor leakyRelu(Tensor x, double slope) { return apply("leaky_relu", UnaryFn.LEAKY_RELU, x, slope, 0); }
    public static Tensor gelu(Tensor x, boolean tanh) { return tanh ? apply("gelu_tanh", UnaryFn.GELU_TANH, x, 0, 0) : apply("gelu", UnaryFn.GELU, x, 0, 0); }
    public static Tensor silu(Tensor x) { return apply("silu", UnaryFn.SILU, x, 0, 0); }
    public static Tensor softplus(Tensor x, double beta, double threshold) { return apply("softplus", UnaryFn.SOFTPLUS, x, beta, threshold); }
    public static Tensor erf(Tensor x) { return apply("erf", UnaryFn.ERF, x, 0, 0); }
    public static Tensor rounding(Tensor x, UnaryFn fn) { return apply(fn.name().toLowerCase(), fn, x, 0, 0); }

    public static Tensor clamp(Tensor x, double min, double max) {
        if (Double.isNaN(min) || Double.isNaN(max)) throw new IllegalArgumentException("clamp: min and max must not be NaN");
        return apply("clamp", UnaryFn.CLAMP, x, min, max);
    }

    /** clamp with integer bounds: integer tensors stay integer. */
    public static Tensor clamp(Tensor x, long min, long max) {
        return Dispatch.apply1(new UnaryOp("clamp", UnaryFn.CLAMP, min, max, false), x);
    }

    /** x ** p for a floating scalar exponent (integer inputs promote to float32). */
    public static Tensor powScalar(Tensor x, double p) { return apply("pow", UnaryFn.POW_SCALAR, x, p, 0); }

    /** x ** p for an integer exponent (integer inputs stay integer). */
    public static Tensor powScalar(Tensor x, long p) {
        if (!x.dtype().isFloatingPoint() && p < 0) {
            throw new IllegalArgumentException("pow: integers to negative integer powers are not allowed");
        }
        return Dispatch.apply1(new UnaryOp("pow", UnaryFn.POW_SCALAR, p, 0, false), x);
    }

    /** A dtype conversion; differentiable between floating types (the gradient is cast back). */
    public static Tensor cast(Tensor x, DType dt) {
        return Dispatch.apply1(new CastOp(dt), x);
    }

    static final class CastOp extends Op {
        final DType to;

        CastOp(DType to) { this.to = to; }

        @Override public String name() { return "to"; }

        @Override public Map<String, Object> attributes() { return Map.of("dtype", to.torchName()); }

        @Override public boolean differentiable() { return to.isFloatingPoint(); }

        @Override public boolean savesInputs() { return false; }

        @Override
        public Tensor[] forward(Tensor... in) {
            Tensor out = Tensor.empty(to, in[0].shape());
            Copy.copyInto(out, in[0]);
            return new Tensor[] {out};
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... g) {
            return new Tensor[] {ctx.inputDtype(0).isFloatingPoint() ? g[0] : null};
        }
    }
}
