package org.sinter.ops;

import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.SavedContext;
import org.sinter.Tensor;
import org.sinter.kernels.BinaryFn;

/**
 * Elementwise functions of two broadcast tensors: one {@link BinaryOp} each, with PyTorch's type
 * promotion and the derivative for both operands (at the broadcast shape; autograd reduces it).
 */
public final class BinaryOps {
    private BinaryOps() {}

    /** A Java double as an operand (promotes like a Python float). */
    public static Tensor wrap(double v) { return Tensor.wrappedScalar(v); }

    /** A Java long/int as an operand (promotes like a Python int). */
    public static Tensor wrap(long v) { return Tensor.wrappedScalar(v); }

    static final class BinaryOp extends InPlaceOp {
        final BinaryFn fn;
        final String name;

        BinaryOp(BinaryFn fn) {
            this.fn = fn;
            this.name = switch (fn) {
                case FLOOR_DIVIDE -> "floor_divide";
                default -> fn.name().toLowerCase();
            };
        }

        @Override public String name() { return name; }

        DType resultType(Tensor a, Tensor b) {
            DType t = TypePromotion.resultType(a, b);
            return switch (fn) {
                case DIV, ATAN2 -> TypePromotion.toFloating(t);
                case ADD, SUB, MUL, MAXIMUM, MINIMUM -> {
                    if (t == DType.BOOL && fn == BinaryFn.SUB) {
                        throw new IllegalArgumentException("sub: subtraction, the `-` operator, with two bool tensors is not supported; use logicalXor()");
                    }
                    yield t;
                }
                default -> t == DType.BOOL ? DType.INT64 : t;
            };
        }

        @Override
        public Tensor[] forward(Tensor... in) {
            return new Tensor[] {Elementwise.binary(name, fn, in[0], in[1], resultType(in[0], in[1]))};
        }

        @Override
        public void forwardInto(Tensor out, Tensor... in) {
            DType rt = resultType(in[0], in[1]);
            if (rt.kind().ordinal() > out.dtype().kind().ordinal()) {
                throw new IllegalArgumentException(name + "_: result type " + rt.name() + " can't be cast to the desired output type "
                        + out.dtype().name() + " of " + out.describe());
            }
            Elementwise.binaryInPlace(name, fn, out, in[0], in[1], rt);
        }

        @Override
        public boolean differentiable() {
            return fn != BinaryFn.FLOOR_DIVIDE;
        }

        @Override
        public boolean savesInputs() {
            return !(fn == BinaryFn.ADD || fn == BinaryFn.SUB);
        }

        @Override
        public boolean savesOutputs() {
            return fn == BinaryFn.POW;
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... grads) {
            Tensor g = grads[0];
            return switch (fn) {
                case ADD -> new Tensor[] {g, g};
                case SUB -> new Tensor[] {g, ctx.needsInputGrad(1) ? g.neg() : null};
                case MUL -> new Tensor[] {
                        ctx.needsInputGrad(0) ? g.mul(ctx.input(1)) : null,
                        ctx.needsInputGrad(1) ? g.mul(ctx.input(0)) : null};
                case DIV -> {
                    Tensor b = ctx.input(1);
                    yield new Tensor[] {
                            ctx.needsInputGrad(0) ? g.div(b) : null,
                            ctx.needsInputGrad(1) ? g.neg().mul(ctx.input(0)).div(b.mul(b)) : null};
                }
                case POW -> {
                    Tensor a = ctx.input(0), b = ctx.input(1);
                    Tensor ga = ctx.needsInputGrad(0)
                            ? Tensor.where(b.eq(0.0), Tensor.scalar(0, g.dtype()), g.mul(b).mul(a.pow(b.sub(1.0)))) : null;
                    Tensor gb = null;
                    if (ctx.needsInputGrad(1)) {
                        // d/db a^b = a^b log a; defined as 0 where a == 0 and b >= 0, as in PyTorch.
                        Tensor mask = a.eq(0.0).logicalAnd(b.ge(0.0));
                        gb = Tensor.where(mask, Tensor.scalar(0, g.dtype()), g.mul(ctx.output(0)).mul(a.log()));
                    }
                    yield new Tensor[] {ga, gb};
                }
                case MAXIMUM, MINIMUM -> {
                    Tensor a = ctx.input(0), b = ctx.input(1);
                    Tensor zero = Tensor.scalar(0, g.dtype());
                    Tensor half = g.mul(0.5);
                    Tensor aWins = fn == BinaryFn.MAXIMUM ? a.gt(b) : a.lt(b);
                    Tensor bWins = fn == BinaryFn.MAXIMUM ? a.lt(b) : a.gt(b);
                    Tensor tie = a.eq(b);
                    yield new Tensor[] {
                            Tensor.where(aWins, g, Tensor.where(tie, half, zero)),
                            Tensor.where(bWins, g, Tensor.where(tie, half, zero))};
                }
                case ATAN2 -> {
                    Tensor a = ctx.input(0), b = ctx.input(1);
                    Tensor denom = a.mul(a).add(b.mul(b));
                    yield new Tensor[] {g.mul(b).div(denom), g.mul(a).neg().div(denom)};
                }
                case REMAINDER -> new Tensor[] {g, ctx.needsInputGrad(1) ? g.neg().mul(ctx.input(0).floorDivide(ctx.input(1))) : null};
                case FMOD -> new Tensor[] {g, ctx.needsInputGrad(1) ? g.neg().mul(ctx.input(0).div(ctx.input(1)).trunc()) : null};
                default -> throw new UnsupportedOperationException("the derivative for '" + name + "' is not implemented");
            };
        }
    }

    static Tensor apply(BinaryFn fn, Tensor a, Tensor b) {
        return Dispatch.apply1(new BinaryOp(fn), a, b);
    }

    public static Tensor add(Tensor a, Tensor b) { return apply(BinaryFn.ADD, a, b); }
    public static Tensor sub(Tensor a, Tensor b) { return apply(BinaryFn.SUB, a, b); }
    public static Tensor mul(Tensor a, Tensor b) { return apply(BinaryFn.MUL, a, b); }
    public static Tensor div(Tensor a, Tensor b) { return apply(BinaryFn.DIV, a, b); }
    public static Tensor pow(Tensor a, Tensor b) { return apply(BinaryFn.POW, a, b); }
    public static Tensor maximum(Tensor a, Tensor b) { return apply(BinaryFn.MAXIMUM, a, b); }
    public static Tensor minimum(Tensor a, Tensor b) { return apply(BinaryFn.MINIMUM, a, b); }
    public static Tensor atan2(Tensor a, Tensor b) { return apply(BinaryFn.ATAN2, a, b); }
    public static Tensor remainder(Tensor a, Tensor b) { return apply(BinaryFn.REMAINDER, a, b); }
    public static Tensor floorDivide(Tensor a, Tensor b) { return apply(BinaryFn.FLOOR_DIVIDE, a, b); }
    public static Tensor fmod(Tensor a, Tensor b) { return apply(BinaryFn.FMOD, a, b); }

    /** {@code self (op)= other}, in place. */
    public static Tensor inPlace(BinaryFn fn, Tensor self, Tensor other) {
        return Dispatch.applyInPlace(new BinaryOp(fn), self, other);
    }

    /** {@code self += alpha * other}, in place (the optimizers' axpy). */
    public static Tensor addScaled_(Tensor self, Tensor other, double alpha) {
        return Dispatch.applyInPlace(new AxpyOp(alpha), self, other);
    }

    /** {@code a + alpha * b} with one pass over memory. */
    static final class AxpyOp extends InPlaceOp {
        final double alpha;

        AxpyOp(double alpha) { this.alpha = alpha; }

        @Override public String name() { return "add"; }

        @Override public Map<String, Object> attributes() { return Map.of("alpha", alpha); }

        @Override public boolean savesInputs() { return false; }

        @Override
        public Tensor[] forward(Tensor... in) {
            return new Tensor[] {in[0].add(in[1].mul(alpha))};
        }

        @Override
        public void forwardInto(Tensor out, Tensor... in) {
            Tensor b = in[1];
            if (out.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && out.isContiguous() && b.isContiguous()
                    && java.util.Arrays.equals(out.shape(), b.shape())) {
                org.sinter.kernels.Axpy.f32((float) alpha, b.storage().floats(), b.storageOffset(),
                        out.storage().floats(), out.storageOffset(), out.numel());
                return;
            }
            new BinaryOp(BinaryFn.ADD).forwardInto(out, in[0], in[1].mul(alpha));
        }

        @Override
        public Tensor[] backward(SavedContext ctx, Tensor... g) {
            return new Tensor[] {g[0], ctx.needsInputGrad(1) ? g[0].mul(alpha) : null};
        }
    }
}
