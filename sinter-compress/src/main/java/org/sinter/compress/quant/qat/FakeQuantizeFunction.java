package org.sinter.compress.quant.qat;

import org.sinter.Tensor;
import org.sinter.autograd.Function;
import org.sinter.autograd.FunctionContext;
import org.sinter.compress.quant.QParams;

/**
 * {@code torch.fake_quantize_per_tensor_affine} / {@code fake_quantize_per_channel_affine}: the
 * forward rounds to the quantization grid and back ({@code (clamp(round(x / s) + z) - z) * s}),
 * the backward is the straight-through estimator: the gradient passes where {@code round(x / s) + z}
 * fell inside [quant_min, quant_max] and is zero where it was clamped.
 */
public final class FakeQuantizeFunction extends Function {
    private final QParams qparams;

    public FakeQuantizeFunction(QParams qparams) {
        this.qparams = qparams;
    }

    /** Fake-quantizes {@code x}, recording the gradient mask when {@code x} requires grad. */
    public static Tensor apply(Tensor x, QParams qparams) {
        return new FakeQuantizeFunction(qparams).apply1(x);
    }

    @Override
    public String name() { return "FakeQuantize"; }

    @Override
    protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
        Tensor x = in[0];
        int[] shape = x.shape();
        float[] v = x.toFloatArray(), y = new float[v.length], mask = new float[v.length];
        int c = 1, inner = 1;
        if (qparams.isPerChannel()) {
            int ax = qparams.axis();
            if (ax >= shape.length || shape[ax] != qparams.channels()) {
                throw new IllegalArgumentException("FakeQuantize: per-channel qparams for " + qparams.channels() + " channels on axis " + ax
                        + " do not fit shape " + java.util.Arrays.toString(shape));
            }
            c = shape[ax];
            for (int d = ax + 1; d < shape.length; d++) inner *= shape[d];
        }
        int qmin = qparams.quantMin(), qmax = qparams.quantMax();
        for (int i = 0; i < v.length; i++) {
            int ch = qparams.isPerChannel() ? (i / inner) % c : 0;
            float s = qparams.scale(ch), inv = 1.0f / s;
            int z = qparams.zeroPoint(ch);
            float qf = z + (float) Math.rint(v[i] * inv);
            float q = Math.min(Math.max(qf, qmin), qmax);
            y[i] = (q - z) * s;
            mask[i] = qf >= qmin && qf <= qmax ? 1f : 0f;
        }
        ctx.saveForBackward(Tensor.of(mask, shape));
        return new Tensor[] {Tensor.of(y, shape)};
    }

    @Override
    protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
        return new Tensor[] {g[0].mul(ctx.savedTensors().get(0))};
    }
}
