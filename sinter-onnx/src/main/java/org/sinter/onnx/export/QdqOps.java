package org.sinter.onnx.export;

import java.util.Arrays;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.SavedContext;
import org.sinter.Tensor;
import org.sinter.ops.HigherOrderOp;
import org.sinter.ops.Op;
import org.sinter.ops.TensorSpec;

/**
 * ONNX's quantize/dequantize pair as graph ops, so that a quantized model traced by the compiler
 * keeps them as nodes and exports as a QDQ model (the form ONNX Runtime and TensorRT turn into
 * int8 kernels). {@code quantizeLinear(x, scale, zeroPoint)} is
 * {@code saturate(roundHalfEven(x / scale) + zeroPoint)} into uint8 [0, 255] or int8 [-128, 127];
 * {@code dequantizeLinear(q, scale, zeroPoint)} is {@code (q - zeroPoint) · scale}. A 0-d scale
 * is per tensor; a 1-D one is per channel along {@code axis}. Sinter has no 8-bit dtype, so the
 * quantized values are int32 tensors holding 8-bit values, and the ops say which 8-bit type they mean.
 *
 * <p>They are ops outside the engine's closed set, defined as ({@link HigherOrderOp}) whose
 * {@code run} is written with engine operations, so eager code, the tracer and the compiled
 * graph run them unchanged; gradients do not flow through them (fake quantization for training
 * would use a straight-through estimator, which is the quantization module's business).
 */
public final class QdqOps {
    private QdqOps() {}

    public static Tensor quantizeLinear(Tensor x, Tensor scale, Tensor zeroPoint, int axis, boolean unsigned) {
        return Dispatch.apply1(new QuantizeLinear(axis, unsigned), x, scale, zeroPoint);
    }

    public static Tensor dequantizeLinear(Tensor q, Tensor scale, Tensor zeroPoint, int axis, boolean unsigned) {
        return Dispatch.apply1(new DequantizeLinear(axis, unsigned), q, scale, zeroPoint);
    }

    /** Float to 8-bit values (held as int32). */
    public record QuantizeLinear(int axis, boolean unsigned) implements HigherOrderOp {
        @Override public String name() { return "quantize_linear"; }

        @Override public Map<String, Object> attributes() { return Map.of("axis", axis, "dtype", unsigned ? "uint8" : "int8"); }

        @Override public boolean differentiable() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            check(name(), axis, in);
            if (!in[0].dtype().isFloatingPoint()) throw new IllegalArgumentException(name() + ": expected a floating-point input, got " + in[0].describe());
            return Op.one(in[0].shape(), DType.INT32);
        }

        @Override
        public Tensor[] run(Tensor... in) {
            double lo = unsigned ? 0 : -128, hi = unsigned ? 255 : 127;
            Tensor s = perAxis(in[1], in[0].dim(), axis), zp = perAxis(in[2], in[0].dim(), axis).to(DType.FLOAT32);
            return new Tensor[] {in[0].to(DType.FLOAT32).div(s).round().add(zp).clamp(lo, hi).to(DType.INT32)};
        }

        @Override public Tensor[] backward(SavedContext ctx, Tensor... grads) { return new Tensor[3]; }
    }

    /** 8-bit values (held as int32) back to float32. */
    public record DequantizeLinear(int axis, boolean unsigned) implements HigherOrderOp {
        @Override public String name() { return "dequantize_linear"; }

        @Override public Map<String, Object> attributes() { return Map.of("axis", axis, "dtype", unsigned ? "uint8" : "int8"); }

        @Override public boolean differentiable() { return false; }

        @Override
        public TensorSpec[] meta(Tensor... in) {
            check(name(), axis, in);
            if (in[0].dtype() != DType.INT32) throw new IllegalArgumentException(name() + ": expected int32 quantized values, got " + in[0].describe());
            return Op.one(in[0].shape(), DType.FLOAT32);
        }

        @Override
        public Tensor[] run(Tensor... in) {
            Tensor s = perAxis(in[1], in[0].dim(), axis), zp = perAxis(in[2], in[0].dim(), axis).to(DType.FLOAT32);
            return new Tensor[] {in[0].to(DType.FLOAT32).sub(zp).mul(s)};
        }

        @Override public Tensor[] backward(SavedContext ctx, Tensor... grads) { return new Tensor[3]; }
    }

    private static void check(String op, int axis, Tensor... in) {
        if (in.length != 3) throw new IllegalArgumentException(op + ": takes (x, scale, zeroPoint), got " + in.length + " inputs");
        Tensor x = in[0], scale = in[1], zp = in[2];
        if (scale.dtype() != DType.FLOAT32) throw new IllegalArgumentException(op + ": the scale must be float32, got " + scale.describe());
        if (zp.dtype() != DType.INT32) throw new IllegalArgumentException(op + ": the zero point must be int32 (holding an 8-bit value), got " + zp.describe());
        if (!Arrays.equals(scale.shape(), zp.shape())) {
            throw new IllegalArgumentException(op + ": scale " + scale.describe() + " and zero point " + zp.describe() + " must have one shape");
        }
        if (scale.dim() > 1) throw new IllegalArgumentException(op + ": the scale must be 0-d (per tensor) or 1-D (per channel), got " + scale.describe());
        if (scale.dim() == 1 && (axis < 0 || axis >= x.dim() || x.size(axis) != scale.size(0))) {
            throw new IllegalArgumentException(op + ": a per-channel scale of " + scale.size(0) + " values needs axis (" + axis + ") to be a dimension of "
                    + x.describe() + " of that size");
        }
    }

    /** A per-channel parameter shaped to broadcast along {@code axis}; a 0-d one as is. */
    private static Tensor perAxis(Tensor p, int rank, int axis) {
        if (p.dim() == 0) return p;
        int[] shape = new int[rank];
        Arrays.fill(shape, 1);
        shape[axis] = p.size(0);
        return p.reshape(shape);
    }
}
