package org.sinter.compress.quant.nn;

import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;

/**
 * A Linear or Conv2d whose weight and bias are stored in float16 or bfloat16 (half the bytes) and
 * widened to float32 for the computation, as half-precision inference does on CPUs without
 * half-precision arithmetic. The outputs therefore differ from float32 only by the weights' rounding.
 */
public final class HalfWeightLayer extends Module {
    private final Module original;
    private final Tensor weight, bias;
    private final DType dtype;

    public HalfWeightLayer(Module layer, DType dtype) {
        if (!dtype.isHalf()) throw new IllegalArgumentException("HalfWeightLayer stores float16 or bfloat16 weights, not " + dtype.torchName());
        Tensor w, b;
        if (layer instanceof Linear l) {
            w = l.weight;
            b = l.bias;
        } else if (layer instanceof Conv2d c) {
            if (!c.paddingMode.equals("zeros") || c.paddingString != null) throw new IllegalArgumentException("HalfWeightLayer supports zero-padded Conv2d with numeric padding, got " + c);
            w = c.weight;
            b = c.bias;
        } else {
            throw new IllegalArgumentException("HalfWeightLayer wraps Linear or Conv2d, not " + layer.getClass().getSimpleName());
        }
        this.original = layer;
        this.dtype = dtype;
        this.weight = w.detach().to(dtype);
        this.bias = b == null ? null : b.detach().to(dtype);
        training = false;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor w = weight.to(DType.FLOAT32), b = bias == null ? null : bias.to(DType.FLOAT32);
        if (original instanceof Conv2d c) return F.conv2d(x, w, b, c.stride, c.padding, c.dilation, c.groups);
        return F.linear(x, w, b);
    }

    public long sizeBytes() {
        return 2L * (weight.numel() + (bias == null ? 0 : bias.numel()));
    }

    @Override
    public String toString() {
        return "HalfWeight(" + original + ", dtype=" + dtype.torchName() + ")";
    }
}
