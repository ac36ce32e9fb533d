package org.sinter.ops;

import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.kernels.CompareFn;

/** Comparisons and logical ops: bool results, no gradient. */
public final class CompareOps {
    private CompareOps() {}

    /** {@code a (op) b} in the operands' common type, broadcast. */
    public record Compare(CompareFn fn) implements Op {
        @Override public String name() { return fn.name().toLowerCase(); }

        @Override public boolean differentiable() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            TypePromotion.resultType(in[0], in[1]);
            return Op.one(Shape.broadcast(name(), in[0].shape(), in[1].shape()), DType.BOOL);
        }
    }

    /** logical_and/or/xor of two tensors' truth values, or logical_not of one, in one pass. */
    public record Logical(Kind kind) implements Op {
        public enum Kind { AND, OR, XOR, NOT }

        @Override public String name() { return "logical_" + kind.name().toLowerCase(); }

        @Override public boolean differentiable() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            int[] shape = kind == Kind.NOT ? in[0].shape() : Shape.broadcast(name(), in[0].shape(), in[1].shape());
            return Op.one(shape, DType.BOOL);
        }
    }

    /** True where the value is neither infinite nor NaN. */
    public record IsFinite() implements Op {
        @Override public String name() { return "isfinite"; }

        @Override public boolean differentiable() { return false; }

        @Override public TensorSpec[] meta(Tensor... in) { return Op.one(in[0].shape(), DType.BOOL); }
    }

    public static Tensor compare(CompareFn fn, Tensor a, Tensor b) {
        return Dispatch.apply1(new Compare(fn), a, b);
    }

    /** logical_and / logical_or / logical_xor on the truth values of any dtype. */
    public static Tensor logical(String name, Tensor a, Tensor b) {
        Logical.Kind kind = switch (name) {
            case "logical_and" -> Logical.Kind.AND;
            case "logical_or" -> Logical.Kind.OR;
            case "logical_xor" -> Logical.Kind.XOR;
            default -> throw new IllegalArgumentException("logical: unknown op " + name);
        };
        return Dispatch.apply1(new Logical(kind), a, b);
    }

    public static Tensor logicalNot(Tensor a) {
        return Dispatch.apply1(new Logical(Logical.Kind.NOT), a);
    }

    public static Tensor isfinite(Tensor a) {
        return Dispatch.apply1(new IsFinite(), a);
    }
}
