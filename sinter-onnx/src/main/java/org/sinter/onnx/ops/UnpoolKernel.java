package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;
import static org.sinter.onnx.ops.ElementwiseKernels.zero;

import org.sinter.DType;
import org.sinter.Tensor;

/**
 * ONNX {@code MaxUnpool}: MaxPool's partial inverse. Each value of X goes to the position its
 * index (MaxPool's Indices output: a flat index into the whole unpooled tensor) names, every other
 * element is zero. The output shape is {@code output_shape} when given, else
 * {@code (in - 1)·stride + kernel - pad_begin - pad_end} per spatial axis.
 */
final class UnpoolKernel {
    private UnpoolKernel() {}

    static void register(OpRegistry r) {
        r.add("MaxUnpool", UnpoolKernel::maxUnpool, "kernel_shape", "pads", "strides");
    }

    private static Tensor[] maxUnpool(NodeContext n) {
        Tensor x = n.in(0), indices = n.in(1);
        if (x.dim() < 3) throw n.error("X must be [N, C, spatial...], got " + x.describe());
        if (!java.util.Arrays.equals(x.shape(), indices.shape())) throw n.error("I must have X's shape " + x.describe() + ", got " + indices.describe());
        int spatial = x.dim() - 2;
        long[] kernel = n.attrInts("kernel_shape", null);
        if (kernel == null || kernel.length != spatial) throw n.error("kernel_shape must give " + spatial + " sizes");
        long[] strides = n.attrInts("strides", null);
        if (strides == null) { strides = new long[spatial]; java.util.Arrays.fill(strides, 1); }
        long[] pads = n.attrInts("pads", new long[2 * spatial]);
        if (strides.length != spatial || pads.length != 2 * spatial) throw n.error("strides must give " + spatial + " and pads " + 2 * spatial + " values");
        // The indices address the inferred shape; a larger output_shape pads it with zeros at the end of each axis.
        int[] out = new int[x.dim()];
        out[0] = x.size(0);
        out[1] = x.size(1);
        for (int d = 0; d < spatial; d++) out[2 + d] = (int) ((x.size(2 + d) - 1) * strides[d] + kernel[d] - pads[d] - pads[spatial + d]);
        int[] padded = out.clone();
        if (n.has(2)) {
            long[] given = n.constLongs(2, "output_shape");
            if (given.length != x.dim()) throw n.error("output_shape must have " + x.dim() + " entries, got " + given.length);
            padded = NodeContext.toInts(given);
            for (int d = 0; d < out.length; d++) {
                if (padded[d] < out[d]) throw n.error("output_shape " + java.util.Arrays.toString(given) + " is smaller than the unpooled shape " + java.util.Arrays.toString(out));
            }
        }
        long total = 1;
        for (int d = 0; d < out.length; d++) {
            if (out[d] < 0) throw n.error("the output shape " + java.util.Arrays.toString(out) + " has a negative size");
            total *= out[d];
        }
        if (padded[0] != x.size(0) || padded[1] != x.size(1)) throw n.error("output_shape must keep N and C of " + x.describe());
        if (total > Integer.MAX_VALUE - 16) throw n.error("the output shape " + java.util.Arrays.toString(out) + " is too large");
        Tensor flat = zero(x).expand((int) total).contiguous();
        Tensor y = flat.scatter(0, indices.to(DType.INT64).reshape(-1), x.reshape(-1)).reshape(out);
        int[] pad = new int[2 * spatial]; // PyTorch's order: the last axis first, (before, after) each
        for (int d = 0; d < spatial; d++) pad[2 * (spatial - 1 - d) + 1] = padded[2 + d] - out[2 + d];
        return one(java.util.Arrays.stream(pad).anyMatch(p -> p != 0) ? y.pad(pad, "constant", 0) : y);
    }
}
