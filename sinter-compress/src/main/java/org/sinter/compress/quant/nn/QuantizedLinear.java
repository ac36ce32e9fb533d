package org.sinter.compress.quant.nn;

import org.sinter.Tensor;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;
import org.sinter.compress.quant.kernels.Int8Linear;
import org.sinter.compress.quant.kernels.Requantize;

/**
 * A linear layer on int8 (PyTorch's {@code nnq.Linear} / {@code LinearReLU}): quint8 in, and
 * either quint8 out or, as the model's last quantized layer, float32 out with the dequantization
 * fused into the epilogue. Inputs with more than two dimensions are flattened to {@code [*, in]}.
 */
public final class QuantizedLinear implements QuantStage {
    private final Int8Linear kernel;
    private final Requantize out;
    private final boolean relu;
    private final QTensor weight;
    private final float[] bias;
    private final QParams outQ;
    private final String desc;
    private final long bytes;

    /** @param outQ the output's qparams, or null for a float32 output */
    public QuantizedLinear(QTensor weight, float[] bias, boolean relu, QParams outQ) {
        kernel = new Int8Linear(weight, bias);
        this.relu = relu;
        this.weight = weight;
        this.bias = bias == null ? null : bias.clone();
        this.outQ = outQ;
        out = outQ == null ? null : Requantize.toUint8(outQ.scale(0), outQ.zeroPoint(0), outQ.quantMin(), outQ.quantMax(), relu);
        desc = (relu ? "QuantizedLinearReLU(" : "QuantizedLinear(") + "in_features=" + kernel.inFeatures() + ", out_features=" + kernel.outFeatures()
                + (out == null ? ", output=float32" : ", scale=" + outQ.scale(0) + ", zero_point=" + outQ.zeroPoint(0))
                + (weight.qparams().isPerChannel() ? ", qscheme=per_channel" : "") + ")";
        bytes = weight.data().length + 4L * kernel.outFeatures() * (bias == null ? 2 : 3);
    }

    public boolean outputsFloat() { return out == null; }

    /** The int8 weight {@code [out, in]}, for exporters. */
    public QTensor weight() { return weight; }

    /** The float bias, or null; for exporters. */
    public float[] bias() { return bias == null ? null : bias.clone(); }

    public boolean relu() { return relu; }

    /** The output's qparams, or null when this layer outputs float32. */
    public QParams outQ() { return outQ; }

    private QTensor as2d(QTensor x) {
        if (x.dim() == 2) return x;
        int last = x.size(x.dim() - 1);
        return x.reshape(x.data().length / last, last);
    }

    @Override
    public QTensor forward(QTensor x) {
        if (out == null) throw new IllegalStateException(desc + " outputs float32: call forwardFloat");
        QTensor y = kernel.forwardQuantized(as2d(x), out);
        return reshapeBack(x, y);
    }

    private static QTensor reshapeBack(QTensor x, QTensor y) {
        if (x.dim() == 2) return y;
        int[] shape = x.shape();
        shape[shape.length - 1] = y.size(1);
        return y.reshape(shape);
    }

    /** The float32 output (dequantization fused). */
    public Tensor forwardFloat(QTensor x) {
        QTensor x2 = as2d(x);
        float[] y = kernel.forwardFloat(x2, relu);
        int[] shape = x.shape();
        shape[shape.length - 1] = kernel.outFeatures();
        return Tensor.of(y, shape);
    }

    @Override
    public long sizeBytes() { return bytes; }

    @Override
    public String describe() { return desc; }
}
