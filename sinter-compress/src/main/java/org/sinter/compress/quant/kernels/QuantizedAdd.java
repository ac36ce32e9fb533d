package org.sinter.compress.quant.kernels;

import java.util.Arrays;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;

/**
 * The quantized residual addition, PyTorch's {@code torch.ops.quantized.add} / {@code add_relu}
 * (what {@code FloatFunctional.add} becomes as {@code QFunctional}): both quint8 inputs are
 * dequantized with their own scales, added (and ReLU'd) in float32, and requantized with the
 * addition's own calibrated scale and zero point. The dequantization is ATen's vectorized form,
 * {@code fma(scale, q, -zero_point·scale)}, and the requantization {@code rint(c·(1/scale)) + zp},
 * so the bytes equal PyTorch's; the result is clamped to the output's quant range (the calibrated
 * 7-bit range under {@code reduce_range}, as {@link Requantize} does for convolutions).
 */
public final class QuantizedAdd {
    private QuantizedAdd() {}

    public static QTensor add(QTensor a, QTensor b, QParams out, boolean relu) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("quantized add: shapes differ, " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        check("first input", a.qparams());
        check("second input", b.qparams());
        check("output", out);
        float sa = a.qparams().scale(0), sb = b.qparams().scale(0);
        float za = -(a.qparams().zeroPoint(0) * sa), zb = -(b.qparams().zeroPoint(0) * sb);
        float inv = 1.0f / out.scale(0);
        int zo = out.zeroPoint(0), lo = out.quantMin(), hi = out.quantMax();
        byte[] x = a.data(), y = b.data(), o = new byte[x.length];
        for (int i = 0; i < o.length; i++) {
            float c = Math.fma(sa, x[i] & 0xFF, za) + Math.fma(sb, y[i] & 0xFF, zb);
            if (relu && c < 0f) c = 0f;
            int q = (int) Math.rint(c * inv) + zo;
            o[i] = (byte) Math.max(lo, Math.min(hi, q));
        }
        return new QTensor(o, a.shape(), out);
    }

    private static void check(String what, QParams p) {
        if (p.isPerChannel() || p.dtype() != QDType.QUINT8) {
            throw new IllegalArgumentException("quantized add: the " + what + " must be per-tensor quint8, got " + p);
        }
    }
}
