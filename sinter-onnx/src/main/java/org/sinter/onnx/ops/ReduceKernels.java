package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import java.util.Arrays;
import java.util.function.BiFunction;
import org.sinter.DType;
import org.sinter.Tensor;

/** Reductions ({@code ReduceSum} and family, {@code ArgMax}/{@code ArgMin}); axes from the attribute or, in newer opsets, an input. */
final class ReduceKernels {
    private ReduceKernels() {}

    /** The opset from which each reduction takes its axes as an input instead of an attribute. */
    private static void reduce(OpRegistry r, String op, int axesInputSince, BiFunction<Tensor, int[], Tensor> f) {
        r.add(op, n -> {
            Tensor x = n.in(0);
            boolean keep = n.attrInt("keepdims", 1) != 0;
            long[] axes = n.opset() < axesInputSince ? n.attrInts("axes", null) : (n.has(1) ? n.constLongs(1, "axes") : null);
            if (axes != null && axes.length == 0) axes = null;
            if (axes == null && n.attrInt("noop_with_empty_axes", 0) != 0) return one(x);
            int[] dims = axes == null ? allDims(x) : Arrays.stream(axes).mapToInt(a -> n.axis(a, x.dim())).distinct().sorted().toArray();
            Tensor y = f.apply(x, dims);
            if (!keep) {
                for (int i = dims.length - 1; i >= 0; i--) y = y.squeeze(dims[i]);
            }
            return one(y);
        }, "axes", "keepdims", "noop_with_empty_axes");
    }

    private static int[] allDims(Tensor x) {
        int[] d = new int[x.dim()];
        for (int i = 0; i < d.length; i++) d[i] = i;
        return d;
    }

    static void register(OpRegistry r) {
        reduce(r, "ReduceSum", 13, (x, d) -> x.sum(d, true).to(x.dtype()));
        reduce(r, "ReduceMean", 18, (x, d) -> x.mean(d, true));
        reduce(r, "ReduceMax", 18, (x, d) -> x.amax(d, true));
        reduce(r, "ReduceMin", 18, (x, d) -> x.amin(d, true));
        reduce(r, "ReduceProd", 18, (x, d) -> prod(x, d));
        reduce(r, "ReduceL1", 18, (x, d) -> x.abs().sum(d, true).to(x.dtype()));
        reduce(r, "ReduceL2", 18, (x, d) -> x.square().sum(d, true).sqrt().to(x.dtype()));
        reduce(r, "ReduceSumSquare", 18, (x, d) -> x.square().sum(d, true).to(x.dtype()));
        reduce(r, "ReduceLogSum", 18, (x, d) -> x.sum(d, true).log());
        reduce(r, "ReduceLogSumExp", 18, (x, d) -> x.isFloatingPoint() ? x.logsumexp(d, true) : x.to(DType.FLOAT64).logsumexp(d, true).to(x.dtype()));
        r.add("ArgMax", n -> arg(n, true), "axis", "keepdims", "select_last_index");
        r.add("ArgMin", n -> arg(n, false), "axis", "keepdims", "select_last_index");
    }

    private static Tensor prod(Tensor x, int[] dims) {
        Tensor y = x;
        for (int d : dims) y = y.prod(d, true);
        return y.to(x.dtype());
    }

    private static Tensor[] arg(NodeContext n, boolean max) {
        Tensor x = n.in(0);
        int axis = n.axis(n.attrInt("axis", 0), x.dim());
        boolean keep = n.attrInt("keepdims", 1) != 0;
        boolean last = n.attrInt("select_last_index", 0) != 0;
        Tensor src = last ? x.flip(axis) : x;
        Tensor i = max ? src.argmax(axis, keep) : src.argmin(axis, keep);
        if (last) i = i.rsub(x.shape()[axis] - 1);
        return one(i.to(DType.INT64));
    }
}
