package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import org.sinter.Tensor;
import org.sinter.onnx.ElementTypes;

/**
 * The window functions of opset 17 (HannWindow, HammingWindow, BlackmanWindow): the window length
 * is a value Sinter specialises on, so each window is a constant computed at build time in double
 * precision, then cast to {@code output_datatype}. {@code periodic} (the default) divides by N,
 * the symmetric form by N - 1, as ONNX's definitions do.
 */
final class WindowKernels {
    private WindowKernels() {}

    static void register(OpRegistry r) {
        r.add("HannWindow", n -> window(n, new double[] {0.5, 0.5, 0}), "periodic", "output_datatype");
        r.add("HammingWindow", n -> window(n, new double[] {25.0 / 46, 21.0 / 46, 0}), "periodic", "output_datatype");
        r.add("BlackmanWindow", n -> window(n, new double[] {0.42, 0.5, 0.08}), "periodic", "output_datatype");
    }

    /** {@code a0 - a1·cos(2πk/D) + a2·cos(4πk/D)} for k in [0, N). */
    private static Tensor[] window(NodeContext n, double[] a) {
        long size = n.constLongs(0, "size")[0];
        if (size < 0 || size > 1 << 24) throw n.error("window size " + size + " is outside 0..2^24");
        int len = (int) size;
        double d = n.attrInt("periodic", 1) != 0 ? len : len - 1;
        double[] w = new double[len];
        for (int k = 0; k < len; k++) {
            double x = d == 0 ? 0 : 2 * Math.PI * k / d;
            w[k] = a[0] - a[1] * Math.cos(x) + a[2] * Math.cos(2 * x);
        }
        int type = (int) n.attrInt("output_datatype", 1);
        return one(Tensor.of(w, len).to(ElementTypes.dtype(type, n.describe() + " output_datatype")));
    }
}
