package org.sinter.onnx.ops;

import java.util.ArrayList;
import java.util.List;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * {@code TopK}: the k largest (or smallest) elements along an axis and their indices, sorted, ties
 * to the lower index. Sinter has no sort primitive, so the k are selected one at a time: the
 * arg-extreme along the axis (which takes the first of equals), its value gathered, then that
 * position masked with an infinity. k is a value Sinter specialises on (see ValueInputs); the
 * cost is k passes over the axis, which suits the small k of classifiers' top-5.
 */
final class TopKKernel {
    private TopKKernel() {}

    static void register(OpRegistry r) {
        r.add("TopK", TopKKernel::topK, "axis", "largest", "sorted", "k");
    }

    private static Tensor[] topK(NodeContext n) {
        Tensor x = n.in(0);
        long k = n.opset() >= 10 ? n.constLongs(1, "k")[0] : n.attrInt("k", -1);
        int axis = n.axis(n.attrInt("axis", -1), x.dim());
        boolean largest = n.attrInt("largest", 1) != 0;
        if (k < 0 || k > x.size(axis)) throw n.error("k = " + k + " is outside 0.." + x.size(axis) + " (the size of axis " + axis + ")");
        // Integers are compared in float64 (exact for int32; int64 beyond 2^53 would round), so infinities can mask them.
        Tensor work = x.isFloatingPoint() ? x : x.to(DType.FLOAT64);
        double mask = largest ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        List<Tensor> values = new ArrayList<>(), indices = new ArrayList<>();
        for (long i = 0; i < k; i++) {
            Tensor at = largest ? work.argmax(axis, true) : work.argmin(axis, true);
            values.add(x.gather(axis, at));
            indices.add(at);
            work = work.scatter(axis, at, at.to(work.dtype()).mul(0.0).add(mask)); // a traced fill (a scalar fill would be a stray meta tensor)
        }
        if (k == 0) {
            int[] shape = x.shape();
            shape[axis] = 0;
            return new Tensor[] {Tensor.empty(x.dtype(), shape), Tensor.empty(DType.INT64, shape)};
        }
        return new Tensor[] {Tensor.cat(values, axis), Tensor.cat(indices, axis)};
    }
}
