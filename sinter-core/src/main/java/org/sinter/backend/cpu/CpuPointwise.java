package org.sinter.backend.cpu;

import java.util.Arrays;
import org.sinter.DType;
import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.kernels.ActivationBackwardKernels;
import org.sinter.kernels.Axpy;
import org.sinter.kernels.BinaryFn;
import org.sinter.kernels.CompareFn;
import org.sinter.kernels.LogicalKernels;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.CompareOps;
import org.sinter.ops.TypePromotion;
import org.sinter.ops.UnaryOps;

/** CPU execution of the elementwise ops, out of place and in place, through {@link Elementwise}. */
final class CpuPointwise {
    private CpuPointwise() {}

    static Tensor unary(UnaryOps.Unary op, Tensor x) {
        return Elementwise.unary(op.fn(), x, op.p0(), op.p1(), op.resultType(x.dtype()));
    }

    static void unaryInto(UnaryOps.Unary op, Tensor out, Tensor x) {
        Copy.copyInto(out, unary(op, x));
    }

    static Tensor binary(BinaryOps.Binary op, Tensor a, Tensor b) {
        return Elementwise.binary(op.name(), op.fn(), a, b, op.resultType(a, b));
    }

    static void binaryInto(BinaryOps.Binary op, Tensor out, Tensor a, Tensor b) {
        Elementwise.binaryInPlace(op.fn(), out, a, b, op.resultType(a, b));
    }

    static Tensor axpy(BinaryOps.Axpy op, Tensor a, Tensor b) {
        return a.add(scaled(b, op.alpha(), op.meta(a, b)[0].dtype()));
    }

    /** {@code b * alpha}; integer results multiply by a long (the meta function checked alpha is integral). */
    private static Tensor scaled(Tensor b, double alpha, DType resultType) {
        return resultType.isIntegral() ? b.mul((long) alpha) : b.mul(alpha);
    }

    static void axpyInto(BinaryOps.Axpy op, Tensor out, Tensor b) {
        if (out.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && out.isContiguous() && b.isContiguous()
                && Arrays.equals(out.shape(), b.shape())) {
            Axpy.f32((float) op.alpha(), b.storage().floats(), b.storageOffset(), out.storage().floats(), out.storageOffset(), Shape.numel(out));
            return;
        }
        BinaryOps.Binary add = new BinaryOps.Binary(BinaryFn.ADD);
        binaryInto(add, out, out, scaled(b, op.alpha(), out.dtype()));
    }

    /** ReLU's gradient {@code g * (y > 0)}: one fused pass for dense float tensors of one shape. */
    static Tensor reluBackward(Tensor g, Tensor y) {
        DType dt = g.dtype();
        if (dt == y.dtype() && (dt == DType.FLOAT32 || dt == DType.FLOAT64) && g.isContiguous() && y.isContiguous()
                && Arrays.equals(g.shape(), y.shape())) {
            Tensor out = Tensor.empty(dt, g.shape());
            if (dt == DType.FLOAT32) {
                ActivationBackwardKernels.reluBackwardF32(g.storage().floats(), g.storageOffset(),
                        y.storage().floats(), y.storageOffset(), out.storage().floats(), 0, Shape.numel(g));
            } else {
                ActivationBackwardKernels.reluBackwardF64(g.storage().doubles(), g.storageOffset(),
                        y.storage().doubles(), y.storageOffset(), out.storage().doubles(), 0, Shape.numel(g));
            }
            return out;
        }
        return Tensor.where(y.gt(0.0), g, Tensor.scalar(0, g.dtype()));
    }

    static Tensor cast(UnaryOps.Cast op, Tensor x) {
        Tensor out = Tensor.empty(op.to(), x.shape());
        Copy.copyInto(out, x);
        return out;
    }

    static Tensor compare(CompareOps.Compare op, Tensor a, Tensor b) {
        return Elementwise.compare(op.name(), op.fn(), a, b);
    }

    /**
     * logical_and/or/xor/not in one pass over broadcast operands: both are brought to their
     * promoted type first (which keeps every value's truth: nonzero stays nonzero), then the
     * kernel writes the bool result row by row.
     */
    static Tensor logical(CompareOps.Logical op, Tensor[] in) {
        boolean not = op.kind() == CompareOps.Logical.Kind.NOT;
        DType ct = (not ? in[0].dtype() : TypePromotion.resultType(in[0], in[1])).computeType();
        Tensor a = Elementwise.as(in[0], ct), b = not ? a : Elementwise.as(in[1], ct);
        int[] shape = not ? a.shape() : Shape.broadcast(op.name(), a.shape(), b.shape());
        Tensor out = Tensor.empty(DType.BOOL, shape);
        StridedIter it = new StridedIter(shape,
                new int[][] {out.stride(), Shape.broadcastStrides(a.shape(), a.stride(), shape), Shape.broadcastStrides(b.shape(), b.stride(), shape)},
                new int[] {0, a.storageOffset(), b.storageOffset()});
        Object x = a.storage().array(), y = b.storage().array();
        byte[] o = out.storage().bytes();
        int as = it.innerStrides[1], bs = it.innerStrides[2];
        LogicalKernels.Fn fn = LogicalKernels.Fn.valueOf(op.kind().name());
        it.forEachRow((offs, n) -> LogicalKernels.apply(fn, ct, x, offs[1], as, y, offs[2], bs, o, offs[0], n));
        return out;
    }

    static Tensor isfinite(Tensor x) {
        if (!x.dtype().isFloatingPoint()) return Copy.dense(Tensor.full(1, DType.BOOL, x.shape()), DType.BOOL);
        Tensor diff = Elementwise.binary("isfinite", BinaryFn.SUB, x, x, x.dtype());
        return Elementwise.compare("isfinite", CompareFn.EQ, diff, Tensor.wrappedScalar(0.0));
    }
}
