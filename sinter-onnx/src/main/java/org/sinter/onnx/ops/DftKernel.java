package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import org.sinter.Tensor;

/**
 * {@code DFT} (opset 17) as two matrix products: the signal axis moved last and multiplied by the
 * cosine and sine matrices of the transform (computed in double at build time, so the graph is
 * GEMMs the compiler already makes fast), real and imaginary parts combined, {@code inverse}
 * with the opposite sign and the 1/N scale, {@code onesided} keeping the first N/2 + 1 frequencies.
 * O(N²) rather than an FFT: fine for the short frames of audio front ends.
 */
final class DftKernel {
    private DftKernel() {}

    static void register(OpRegistry r) {
        r.add("DFT", DftKernel::dft, "axis", "inverse", "onesided");
    }

    private static Tensor[] dft(NodeContext n) {
        Tensor x = n.in(0);
        if (x.dim() < 2 || x.size(-1) > 2) throw n.error("the input must end in a dimension of 1 (real) or 2 (complex), got " + x.describe());
        if (!x.isFloatingPoint()) throw n.error("the input must be floating point, got " + x.describe());
        int axis = n.axis(n.attrInt("axis", 1), x.dim());
        if (axis == x.dim() - 1) throw n.error("axis " + axis + " is the real/imaginary dimension");
        int len = x.size(axis);
        if (n.has(1) && n.constLongs(1, "dft_length")[0] != len) throw n.unsupported("a dft_length other than the signal's length");
        boolean inverse = n.attrInt("inverse", 0) != 0, onesided = n.attrInt("onesided", 0) != 0;
        int bins = onesided ? len / 2 + 1 : len;
        double[] c = new double[len * bins], s = new double[len * bins];
        for (int t = 0; t < len; t++) {
            for (int k = 0; k < bins; k++) {
                double angle = 2 * Math.PI * ((long) t * k % len) / len;
                c[t * bins + k] = Math.cos(angle);
                s[t * bins + k] = Math.sin(angle);
            }
        }
        Tensor cos = Tensor.of(c, len, bins).to(x.dtype()), sin = Tensor.of(s, len, bins).to(x.dtype());
        Tensor re = x.select(-1, 0).movedim(axis, -1);
        Tensor im = x.size(-1) == 2 ? x.select(-1, 1).movedim(axis, -1) : null;
        // forward: (a + ib)(cos - i sin); inverse: (a + ib)(cos + i sin) / N
        double sign = inverse ? -1 : 1;
        Tensor outRe = re.matmul(cos), outIm = re.matmul(sin).mul(-sign);
        if (im != null) {
            outRe = outRe.add(im.matmul(sin).mul(sign));
            outIm = outIm.add(im.matmul(cos));
        }
        if (inverse) {
            outRe = outRe.div(len);
            outIm = outIm.div(len);
        }
        return one(Tensor.stack(new Tensor[] {outRe.movedim(-1, axis), outIm.movedim(-1, axis)}, -1));
    }
}
