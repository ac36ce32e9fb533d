package org.sinter.compress.quant.nn;

import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;

/** A ReLU that could not be fused into the layer before it: a clamp at the zero point (which stands for 0.0). */
public final class QuantizedReLU implements QuantStage {
    @Override
    public QTensor forward(QTensor x) {
        QParams p = x.qparams();
        if (p.isPerChannel()) throw new IllegalArgumentException("QuantizedReLU: per-channel activations are not supported");
        int z = p.zeroPoint(0);
        byte[] in = x.data(), out = new byte[in.length];
        for (int i = 0; i < in.length; i++) out[i] = (byte) Math.max(z, p.dtype().read(in[i]));
        return new QTensor(out, x.shape(), p);
    }

    @Override
    public String describe() { return "QuantizedReLU()"; }
}
