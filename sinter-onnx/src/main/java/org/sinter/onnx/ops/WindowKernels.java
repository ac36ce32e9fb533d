package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import org.sinter.Tensor;
import org.sinter.onnx.ElementTypes;

/**
 * The window functions of opset 17 (HannWindow, HammingWindow, BlackmanWindow) and its mel filter
 * bank (MelWeightMatrix): their sizes are values Sinter specialises on, so each is a constant
 * computed at build time in double precision, then cast to {@code output_datatype}. {@code
 * periodic} (the default) divides by N, the symmetric form by N - 1, as ONNX's definitions do.
 */
final class WindowKernels {
    private WindowKernels() {}

    static void register(OpRegistry r) {
        r.add("HannWindow", n -> window(n, new double[] {0.5, 0.5, 0}), "periodic", "output_datatype");
        r.add("HammingWindow", n -> window(n, new double[] {25.0 / 46, 21.0 / 46, 0}), "periodic", "output_datatype");
        r.add("BlackmanWindow", n -> window(n, new double[] {0.42, 0.5, 0.08}), "periodic", "output_datatype");
        r.add("MelWeightMatrix", WindowKernels::melWeightMatrix, "output_datatype");
    }

    /**
     * ONNX's triangular mel filter bank, [dft_length/2 + 1, num_mel_bins]: num_mel_bins + 2 points
     * evenly spaced on the mel scale (2595·log10(1 + f/700)) between the edge frequencies (the step
     * is the range over num_mel_bins + 2, as ONNX's reference computes it), each mapped to the
     * spectrogram bin floor((dft_length + 1)·f / sample_rate); filter i rises from point i to point
     * i + 1 and falls to point i + 2 (a filter whose rise is empty is 1 at its centre).
     */
    private static Tensor[] melWeightMatrix(NodeContext n) {
        long mels = n.constLongs(0, "num_mel_bins")[0], dft = n.constLongs(1, "dft_length")[0], rate = n.constLongs(2, "sample_rate")[0];
        double low = n.constDoubles(3, "lower_edge_hertz")[0], high = n.constDoubles(4, "upper_edge_hertz")[0];
        if (mels < 1 || mels > 1 << 16 || dft < 1 || dft > 1 << 24 || rate < 1) {
            throw n.error("num_mel_bins " + mels + " (1..65536), dft_length " + dft + " (1..2^24) and sample_rate " + rate + " (>= 1) are out of range");
        }
        if (!(low >= 0 && high > low)) throw n.error("the edges must satisfy 0 <= lower_edge_hertz < upper_edge_hertz, got " + low + " and " + high);
        int bins = (int) (dft / 2 + 1), m = (int) mels;
        double lowMel = 2595 * Math.log10(1 + low / 700), highMel = 2595 * Math.log10(1 + high / 700);
        double step = (highMel - lowMel) / (m + 2);
        int[] point = new int[m + 2];
        for (int i = 0; i < point.length; i++) {
            double hz = 700 * (Math.pow(10, (lowMel + i * step) / 2595) - 1);
            point[i] = (int) Math.floor((dft + 1) * hz / rate);
            if (point[i] >= bins) throw n.error("upper_edge_hertz " + high + " maps past the last of " + bins + " spectrogram bins (at most sample_rate / 2)");
        }
        double[] w = new double[bins * m];
        for (int i = 0; i < m; i++) {
            int left = point[i], centre = point[i + 1], right = point[i + 2];
            if (centre == left) w[centre * m + i] = 1;
            else for (int j = left; j <= centre; j++) w[j * m + i] = (double) (j - left) / (centre - left);
            for (int j = centre; j < right; j++) w[j * m + i] = (double) (right - j) / (right - centre);
        }
        int type = (int) n.attrInt("output_datatype", 1);
        return one(Tensor.of(w, bins, m).to(ElementTypes.dtype(type, n.describe() + " output_datatype")));
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
