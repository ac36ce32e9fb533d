package org.sinter.onnx.export;

import static org.sinter.onnx.export.GraphWriter.attr;
import static org.sinter.onnx.export.GraphWriter.list;

import org.sinter.ops.ReduceOps;

/**
 * Reductions as ONNX nodes. Opset 13 moved ReduceSum's axes from an attribute to an input; the
 * other reductions follow in opset 18, past what the exporter writes (13-17), so they keep the attribute.
 */
final class ReduceLowering {
    private ReduceLowering() {}

    /** {@code x} is already in the result dtype (sums of integers are int64). */
    static String reduce(GraphWriter w, ReduceOps.Reduce r, String x, int opset) {
        int[] axes = r.dims().toArray();
        if (axes.length == 0) return w.node1("Identity", x);
        String op = r.mean() ? "ReduceMean" : switch (r.kind()) {
            case SUM -> "ReduceSum"; case PROD -> "ReduceProd"; case MAX -> "ReduceMax"; case MIN -> "ReduceMin";
        };
        return withAxes(w, op, x, axes, r.keepDim());
    }

    static String withAxes(GraphWriter w, String op, String x, int[] axes, boolean keepDim) {
        if (op.equals("ReduceSum")) return w.node1(op, list(x, w.ints(axes)), attr("keepdims", keepDim ? 1 : 0));
        return w.node1(op, x, attr("axes", axes), attr("keepdims", keepDim ? 1 : 0));
    }

    /** argmax/argmin; over the flattened tensor when the primitive has no dim. */
    static String argReduce(GraphWriter w, ReduceOps.ArgReduce a, String x, int rank, int[] outShape) {
        String op = a.max() ? "ArgMax" : "ArgMin";
        if (a.dim() != null && rank > 0) return w.node1(op, x, attr("axis", a.dim()), attr("keepdims", a.keepDim() ? 1 : 0));
        String flat = w.node1("Reshape", list(x, w.ints(-1)));
        String r = w.node1(op, flat, attr("axis", 0), attr("keepdims", 0));
        return w.node1("Reshape", list(r, w.ints(outShape)));
    }

    static String norm(GraphWriter w, ReduceOps.Norm n, String x, int opset) {
        int[] axes = n.dims().toArray();
        double p = n.p();
        if (p == 2) return withAxes(w, "ReduceL2", x, axes, n.keepDim());
        if (p == 1) return withAxes(w, "ReduceL1", x, axes, n.keepDim());
        String abs = w.node1("Abs", x);
        if (p == Double.POSITIVE_INFINITY) return withAxes(w, "ReduceMax", abs, axes, n.keepDim());
        if (p == Double.NEGATIVE_INFINITY) return withAxes(w, "ReduceMin", abs, axes, n.keepDim());
        throw new IllegalArgumentException("onnx export: the " + p + "-norm has no ONNX reduction (ReduceL1, ReduceL2, max and min of |x| do)");
    }
}
