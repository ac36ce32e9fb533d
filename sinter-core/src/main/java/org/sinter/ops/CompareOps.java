package org.sinter.ops;

import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.Tensor;
import org.sinter.kernels.CompareFn;

/** Comparisons and logical ops: bool results, no gradient. */
public final class CompareOps {
    private CompareOps() {}

    /** A non-differentiable elementwise op given by a function of its inputs. */
    static final class BoolOp extends Op {
        final String name;
        final java.util.function.Function<Tensor[], Tensor> body;

        BoolOp(String name, java.util.function.Function<Tensor[], Tensor> body) {
            this.name = name;
            this.body = body;
        }

        @Override public String name() { return name; }

        @Override public boolean differentiable() { return false; }

        @Override public Tensor[] forward(Tensor... in) { return new Tensor[] {body.apply(in)}; }
    }

    public static Tensor compare(CompareFn fn, Tensor a, Tensor b) {
        String name = fn.name().toLowerCase();
        return Dispatch.apply1(new BoolOp(name, in -> Elementwise.compare(name, fn, in[0], in[1])), a, b);
    }

    /** logical_and / logical_or / logical_xor on the truth values of any dtype. */
    public static Tensor logical(String name, Tensor a, Tensor b) {
        return Dispatch.apply1(new BoolOp(name, in -> {
            Tensor x = Elementwise.compare(name, CompareFn.NE, in[0], Tensor.wrappedScalar(0L));
            Tensor y = Elementwise.compare(name, CompareFn.NE, in[1], Tensor.wrappedScalar(0L));
            return switch (name) {
                case "logical_and" -> Elementwise.binary(name, org.sinter.kernels.BinaryFn.MINIMUM, x, y, DType.BOOL);
                case "logical_or" -> Elementwise.binary(name, org.sinter.kernels.BinaryFn.MAXIMUM, x, y, DType.BOOL);
                default -> Elementwise.compare(name, CompareFn.NE, x, y);
            };
        }), a, b);
    }

    public static Tensor logicalNot(Tensor a) {
        return Dispatch.apply1(new BoolOp("logical_not", in -> Elementwise.compare("logical_not", CompareFn.EQ, in[0], Tensor.wrappedScalar(0L))), a);
    }

    public static Tensor isfinite(Tensor a) {
        return Dispatch.apply1(new BoolOp("isfinite", in -> {
            Tensor x = in[0];
            if (!x.dtype().isFloatingPoint()) return Copy.dense(Tensor.full(1, DType.BOOL, x.shape()), DType.BOOL);
            Tensor diff = Elementwise.binary("isfinite", org.sinter.kernels.BinaryFn.SUB, x, x, x.dtype());
            return Elementwise.compare("isfinite", CompareFn.EQ, diff, Tensor.wrappedScalar(0.0));
        }), a);
    }
}
