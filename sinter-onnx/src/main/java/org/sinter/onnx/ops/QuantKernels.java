package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import java.util.Arrays;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.onnx.proto.Onnx.TensorProto.DataType;

/**
 * The quantized family: {@code QuantizeLinear}, {@code DequantizeLinear},
 * {@code DynamicQuantizeLinear}, {@code MatMulInteger}, {@code ConvInteger}, {@code QLinearMatMul},
 * {@code QLinearConv}. Sinter holds 8-bit values widened to int32 (see ElementTypes), so the
 * quantized type (uint8 or int8, which sets the saturation range) comes from the zero point's
 * declared ONNX type. Integer products accumulate in float64, exact for 8-bit operands up to
 * 2^53 / 2^16 terms.
 */
final class QuantKernels {
    private QuantKernels() {}

    static void register(OpRegistry r) {
        r.add("QuantizeLinear", n -> {
            Tensor x = n.in(0);
            Tensor scale = perAxis(n, n.in(1), x);
            Tensor zp = n.has(2) ? perAxis(n, n.in(2), x) : null;
            int type = n.has(2) ? n.onnxType(2) : DataType.UINT8_VALUE;
            return one(quantize(n, x.to(DType.FLOAT32), scale, zp, type));
        }, "axis", "saturate", "block_size");
        r.add("DequantizeLinear", n -> {
            Tensor x = n.in(0);
            Tensor scale = perAxis(n, n.in(1), x);
            Tensor v = x.to(DType.FLOAT32);
            if (n.has(2)) v = v.sub(perAxis(n, n.in(2), x).to(DType.FLOAT32));
            return one(v.mul(scale));
        }, "axis", "block_size");
        r.add("DynamicQuantizeLinear", n -> {
            Tensor x = n.in(0);
            Tensor max = x.max().clampMin(0);
            Tensor min = x.min().clampMax(0);
            Tensor scale = max.sub(min).div(255.0);
            Tensor zp = min.neg().div(scale).round().clamp(0.0, 255.0);
            Tensor y = x.div(scale).round().add(zp).clamp(0.0, 255.0);
            return new Tensor[] {y.to(DType.INT32), scale, zp.to(DType.INT32)};
        });
        r.add("MatMulInteger", n -> {
            Tensor a = n.in(0).to(DType.FLOAT64);
            Tensor b = n.in(1).to(DType.FLOAT64);
            if (n.has(2)) {
                Tensor za = n.in(2).to(DType.FLOAT64);
                a = a.sub(za.dim() == 1 && za.numel() > 1 ? za.unsqueeze(1) : za);
            }
            if (n.has(3)) b = b.sub(n.in(3).to(DType.FLOAT64));
            return one(a.matmul(b).to(DType.INT32));
        });
        r.add("ConvInteger", n -> {
            Tensor x = n.in(0).to(DType.FLOAT64);
            Tensor w = n.in(1).to(DType.FLOAT64);
            if (n.has(2)) x = x.sub(n.in(2).to(DType.FLOAT64));
            if (n.has(3)) w = w.sub(NeuralKernels.perChannel(n.in(3).to(DType.FLOAT64).reshape(-1), w).reshape(perOutput(n.in(3), w)));
            return one(NeuralKernels.convolve(n, x, w, null).to(DType.INT32));
        }, "auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        r.add("QLinearMatMul", n -> {
            Tensor a = dequant(n.in(0), n.in(1), n.in(2), true);
            Tensor b = dequant(n.in(3), n.in(4), n.in(5), false);
            Tensor y = a.matmul(b);
            return one(quantize(n, y, n.in(6).to(DType.FLOAT64), n.in(7), n.onnxType(7)));
        });
        r.add("QLinearConv", n -> {
            Tensor x = n.in(0).to(DType.FLOAT64).sub(n.in(2).to(DType.FLOAT64)).mul(n.in(1).to(DType.FLOAT64));
            Tensor w = n.in(3).to(DType.FLOAT64);
            Tensor ws = n.in(4).to(DType.FLOAT64);
            Tensor wz = n.in(5).to(DType.FLOAT64);
            w = w.sub(wz.numel() > 1 ? wz.reshape(perOutput(n.in(5), w)) : wz).mul(ws.numel() > 1 ? ws.reshape(perOutput(n.in(4), w)) : ws);
            Tensor bias = null;
            if (n.has(8)) bias = n.in(8).to(DType.FLOAT64).mul(n.in(1).to(DType.FLOAT64).mul(ws).reshape(-1));
            Tensor y = NeuralKernels.convolve(n, x, w, bias);
            return one(quantize(n, y, n.in(6).to(DType.FLOAT64), n.in(7), n.onnxType(7)));
        }, "auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
    }

    /** A per-output-channel vector [M] shaped to broadcast over a weight [M, C, k...]. */
    private static int[] perOutput(Tensor v, Tensor w) {
        int[] s = new int[w.dim()];
        Arrays.fill(s, 1);
        s[0] = (int) v.numel();
        return s;
    }

    private static Tensor dequant(Tensor q, Tensor scale, Tensor zp, boolean rows) {
        Tensor s = scale.to(DType.FLOAT64);
        Tensor z = zp.to(DType.FLOAT64);
        if (rows && s.numel() > 1) s = s.reshape(-1, 1);
        if (rows && z.numel() > 1) z = z.reshape(-1, 1);
        return q.to(DType.FLOAT64).sub(z).mul(s);
    }

    /** A 1-D per-axis scale or zero point shaped to broadcast along {@code axis} of x; scalars as they are. */
    private static Tensor perAxis(NodeContext n, Tensor v, Tensor x) {
        if (v.dim() == 0 || v.numel() == 1 && x.dim() == 0) return v.dim() == 0 ? v : v.reshape(new int[0]);
        if (v.dim() != 1) throw n.unsupported("blocked quantization (a scale of rank " + v.dim() + ")");
        int axis = n.axis(n.attrInt("axis", 1), x.dim());
        int[] s = new int[x.dim()];
        Arrays.fill(s, 1);
        s[axis] = (int) v.numel();
        return v.reshape(s);
    }

    /** round-half-to-even(x / scale) + zero point, saturated to the quantized type's range, as int32. */
    private static Tensor quantize(NodeContext n, Tensor x, Tensor scale, Tensor zp, int type) {
        double lo;
        double hi;
        if (type == DataType.UINT8_VALUE || type == 0) { lo = 0; hi = 255; }
        else if (type == DataType.INT8_VALUE) { lo = -128; hi = 127; }
        else if (type == DataType.UINT16_VALUE) { lo = 0; hi = 65535; }
        else if (type == DataType.INT16_VALUE) { lo = -32768; hi = 32767; }
        else if (type == DataType.INT32_VALUE) { lo = Integer.MIN_VALUE; hi = Integer.MAX_VALUE; }
        else throw n.unsupported("quantizing to ONNX type " + type);
        // The specification's x / y_scale in the inputs' precision: float32 inputs divide in float32, as
        // ONNX's reference and ONNX Runtime do (a float64 quotient rounds differently near .5).
        Tensor y = x.dtype() == DType.FLOAT32 && scale.dtype() == DType.FLOAT32
                ? x.div(scale).round().to(DType.FLOAT64)
                : x.to(DType.FLOAT64).div(scale.to(DType.FLOAT64)).round();
        if (zp != null) y = y.add(zp.to(DType.FLOAT64));
        return y.clamp(lo, hi).to(DType.INT32);
    }
}
