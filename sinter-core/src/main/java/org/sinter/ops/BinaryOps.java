package org.sinter.ops;

import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.ScalarConversion;
import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.kernels.BinaryFn;

/**
 * Elementwise functions of two broadcast tensors: one {@link Binary} each, with PyTorch's type
 * promotion; {@link Axpy} is the optimizers' {@code a + alpha * b} in one pass.
 */
public final class BinaryOps {
    private BinaryOps() {}

    /** A Java double as an operand (promotes like a Python float). */
    public static Tensor wrap(double v) { return Tensor.wrappedScalar(v); }

    /** A Java long/int as an operand (promotes like a Python int). */
    public static Tensor wrap(long v) { return Tensor.wrappedScalar(v); }

    public record Binary(BinaryFn fn) implements InPlaceOp {
        @Override
        public String name() {
            return fn == BinaryFn.FLOOR_DIVIDE ? "floor_divide" : fn.name().toLowerCase();
        }

        public DType resultType(Tensor a, Tensor b) {
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
        public TensorSpec[] meta(Tensor... in) {
            return Op.one(Shape.broadcast(name(), in[0].shape(), in[1].shape()), resultType(in[0], in[1]));
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
    }

    /** {@code a + alpha * b} with one pass over memory. */
    public record Axpy(double alpha) implements InPlaceOp {
        @Override public String name() { return "add"; }

        @Override public Map<String, Object> attributes() { return Map.of("alpha", alpha); }

        @Override public boolean savesInputs() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            DType t = TypePromotion.resultType(in[0], in[1]);
            DType rt = t == DType.BOOL ? TypePromotion.toFloating(t) : t;
            checkedAlpha(name(), rt, alpha);
            return Op.one(Shape.broadcast(name(), in[0].shape(), in[1].shape()), rt);
        }
    }

    /** alpha as an element of the result dtype: integer results take only integral alphas (PyTorch's rule). */
    static double checkedAlpha(String op, DType resultType, double alpha) {
        return resultType.isIntegral() ? ScalarConversion.checkedIntegral(op, "alpha", alpha, resultType)
                : ScalarConversion.checked(op, alpha, resultType);
    }

    /** {@code other * alpha}, the operand of {@code add/sub(other, alpha)}: integer tensors stay integer. */
    public static Tensor scaledByAlpha(String op, Tensor self, Tensor other, double alpha) {
        DType rt = TypePromotion.resultType(self, other);
        double a = checkedAlpha(op, rt, alpha);
        return mul(other, rt.isIntegral() ? wrap((long) a) : wrap(a));
    }

    static Tensor apply(BinaryFn fn, Tensor a, Tensor b) {
        return Dispatch.apply1(new Binary(fn), a, b);
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
        return Dispatch.applyInPlace(new Binary(fn), self, other);
    }

    /** {@code self += alpha * other}, in place (the optimizers' axpy). */
    public static Tensor addScaled_(Tensor self, Tensor other, double alpha) {
        return Dispatch.applyInPlace(new Axpy(alpha), self, other);
    }
}
