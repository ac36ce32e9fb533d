package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import org.sinter.Tensor;

/**
 * {@code DFT} and {@code STFT} (opset 17) as matrix products: the signal axis moved last (or cut
 * into windowed frames) and multiplied by the cosine and sine matrices of the transform (computed
 * in double at build time, so the graph is GEMMs the compiler already makes fast), real and
 * imaginary parts combined, {@code inverse} with the opposite sign and the 1/N scale,
 * {@code onesided} keeping the first N/2 + 1 frequencies. O(N²) rather than an FFT: fine for the
 * short frames of audio front ends.
 */
final class SpectralKernels {
    private SpectralKernels() {}

    static void register(OpRegistry r) {
        r.add("DFT", SpectralKernels::dft, "axis", "inverse", "onesided");
        r.add("STFT", SpectralKernels::stft, "onesided");
    }

    private static Tensor[] stft(NodeContext n) {
        Tensor x = n.in(0);
        if (x.dim() != 3 || x.size(-1) > 2) throw n.error("the signal must be [batch, length, 1 or 2], got " + x.describe());
        long step = n.constLongs(1, "frame_step")[0];
        Tensor window = n.has(2) ? n.in(2) : null;
        long length = n.has(3) ? n.constLongs(3, "frame_length")[0] : window != null ? window.size(0) : -1;
        if (length < 1 || step < 1 || length > x.size(1)) throw n.error("frame_length " + length + " and frame_step " + step + " do not fit a signal of " + x.size(1));
        if (window != null && window.size(0) != length) throw n.error("the window has " + window.size(0) + " values for frames of " + length);
        boolean onesided = n.attrInt("onesided", 1) != 0;
        int len = (int) length;
        Tensor re = x.select(-1, 0).unfold(1, len, (int) step), im = x.size(-1) == 2 ? x.select(-1, 1).unfold(1, len, (int) step) : null;
        if (window != null) {
            re = re.mul(window.to(x.dtype()));
            if (im != null) im = im.mul(window.to(x.dtype()));
        }
        Tensor[] out = transform(re, im, len, onesided ? len / 2 + 1 : len, false);
        return one(Tensor.stack(out, -1));
    }

    /** The transform of (re, im) over their last axis of length {@code len}, keeping {@code bins} frequencies: {real, imaginary}. */
    static Tensor[] transform(Tensor re, Tensor im, int len, int bins, boolean inverse) {
        double[] c = new double[len * bins], s = new double[len * bins];
        for (int t = 0; t < len; t++) {
            for (int k = 0; k < bins; k++) {
                double angle = 2 * Math.PI * ((long) t * k % len) / len;
                c[t * bins + k] = Math.cos(angle);
                s[t * bins + k] = Math.sin(angle);
            }
        }
        Tensor cos = Tensor.of(c, len, bins).to(re.dtype()), sin = Tensor.of(s, len, bins).to(re.dtype());
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
        return new Tensor[] {outRe, outIm};
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
        Tensor re = x.select(-1, 0).movedim(axis, -1);
        Tensor im = x.size(-1) == 2 ? x.select(-1, 1).movedim(axis, -1) : null;
        Tensor[] out = transform(re, im, len, bins, inverse);
        return one(Tensor.stack(new Tensor[] {out[0].movedim(-1, axis), out[1].movedim(-1, axis)}, -1));
    }
}
