package org.sinter.compress.quant.nn;

import java.util.Arrays;
import org.sinter.compress.quant.QTensor;

/**
 * {@code AdaptiveAvgPool2d(1)} on quantized bytes: the mean of each plane's integers, rounded half
 * to even, with the input's qparams kept (PyTorch's quantized adaptive average pooling keeps them
 * too), so no requantization is needed.
 */
public final class QuantizedGlobalAvgPool2d implements QuantStage {
    @Override
    public QTensor forward(QTensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException("QuantizedAdaptiveAvgPool2d(1): input must be [N, C, H, W], got " + Arrays.toString(x.shape()));
        int planes = x.size(0) * x.size(1), hw = x.size(2) * x.size(3);
        if (hw == 0) throw new IllegalArgumentException("QuantizedAdaptiveAvgPool2d(1): empty plane in " + Arrays.toString(x.shape()));
        boolean unsigned = x.qparams().dtype().min() == 0;
        byte[] in = x.data(), out = new byte[planes];
        for (int p = 0; p < planes; p++) {
            long sum = 0;
            for (int i = p * hw, e = i + hw; i < e; i++) sum += unsigned ? in[i] & 0xFF : in[i];
            out[p] = (byte) Math.rint((double) sum / hw);
        }
        return new QTensor(out, new int[] {x.size(0), x.size(1), 1, 1}, x.qparams());
    }

    @Override
    public String describe() {
        return "QuantizedAdaptiveAvgPool2d(output_size=1)";
    }
}
