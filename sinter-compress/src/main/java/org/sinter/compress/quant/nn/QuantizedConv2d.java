package org.sinter.compress.quant.nn;

import java.util.Arrays;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;
import org.sinter.compress.quant.kernels.Int8Conv2d;
import org.sinter.compress.quant.kernels.Requantize;

/** A convolution (batch norm folded in, ReLU optionally fused) on int8: quint8 in, quint8 out (PyTorch's {@code nnq.Conv2d} / {@code ConvReLU2d}). */
public final class QuantizedConv2d implements QuantStage {
    private final Int8Conv2d kernel;
    private final Requantize out;
    private final Geometry geometry;
    private final String desc;
    private final long bytes;

    public QuantizedConv2d(QTensor weight, float[] bias, int[] stride, int[] padding, int[] dilation, boolean relu, QParams outQ) {
        kernel = new Int8Conv2d(weight, bias, stride, padding, dilation);
        geometry = new Geometry(weight, bias == null ? null : bias.clone(), stride.clone(), padding.clone(), dilation.clone(), relu, outQ);
        out = Requantize.toUint8(outQ.scale(0), outQ.zeroPoint(0), outQ.quantMin(), outQ.quantMax(), relu);
        int[] s = weight.shape();
        desc = (relu ? "QuantizedConvReLU2d(" : "QuantizedConv2d(") + s[1] + ", " + s[0] + ", kernel_size=(" + s[2] + ", " + s[3] + "), stride="
                + Arrays.toString(stride) + ", scale=" + outQ.scale(0) + ", zero_point=" + outQ.zeroPoint(0)
                + (weight.qparams().isPerChannel() ? ", qscheme=per_channel" : "") + ")";
        bytes = weight.data().length + 4L * s[0] * (bias == null ? 2 : 3);
    }

    @Override
    public QTensor forward(QTensor x) {
        return kernel.forwardQuantized(x, out);
    }

    /** What this layer computes, for exporters: the int8 weight, float bias, geometry, fused ReLU and output qparams. */
    public record Geometry(QTensor weight, float[] bias, int[] stride, int[] padding, int[] dilation, boolean relu, QParams outQ) {}

    public Geometry geometry() { return geometry; }

    @Override
    public long sizeBytes() { return bytes; }

    @Override
    public String describe() { return desc; }
}
