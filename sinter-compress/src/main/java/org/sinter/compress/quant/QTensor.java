package org.sinter.compress.quant;

import java.util.Arrays;
import org.sinter.Tensor;

/**
 * A quantized tensor: 8-bit integers in a row-major {@code byte[]} with their {@link QParams}
 * (PyTorch's quantized tensor; {@link #intRepr()} is its {@code int_repr()}).
 */
public final class QTensor {
    private final byte[] data;
    private final int[] shape;
    private final QParams qparams;

    /** Wraps {@code data} (not copied) holding {@code shape}'s elements in row-major order. */
    public QTensor(byte[] data, int[] shape, QParams qparams) {
        long n = numel(shape);
        if (n != data.length) throw new IllegalArgumentException("quantized tensor of shape " + Arrays.toString(shape) + " needs " + n + " bytes, got " + data.length);
        if (qparams.isPerChannel()) {
            if (qparams.axis() >= shape.length || shape[qparams.axis()] != qparams.channels()) {
                throw new IllegalArgumentException("per-channel qparams for " + qparams.channels() + " channels on axis " + qparams.axis()
                        + " do not fit shape " + Arrays.toString(shape));
            }
        }
        this.data = data;
        this.shape = shape.clone();
        this.qparams = qparams;
    }

    static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        return n;
    }

    /** {@code torch.quantize_per_tensor} / {@code quantize_per_channel}: rounds half to even, clamps to the range. */
    public static QTensor quantize(Tensor x, QParams p) {
        float[] v = x.toFloatArray();
        int[] shape = x.shape();
        byte[] q = new byte[v.length];
        if (!p.isPerChannel()) {
            // As QParams.quantize, vectorized for the whole tensor.
            org.sinter.compress.quant.kernels.RoundToBytes.scaled(v, 0, 1.0f / p.scale(0), p.zeroPoint(0), p.quantMin(), p.quantMax(), q, 0, v.length);
        } else {
            int ax = p.axis();
            if (ax >= shape.length || shape[ax] != p.channels()) {
                throw new IllegalArgumentException("per-channel qparams for " + p.channels() + " channels on axis " + ax + " do not fit shape " + Arrays.toString(shape));
            }
            int c = shape[ax], inner = 1;
            for (int d = ax + 1; d < shape.length; d++) inner *= shape[d];
            for (int i = 0; i < v.length; i++) q[i] = (byte) p.quantize(v[i], (i / inner) % c);
        }
        return new QTensor(q, shape, p);
    }

    public Tensor dequantize() {
        float[] out = new float[data.length];
        QDType t = qparams.dtype();
        if (!qparams.isPerChannel()) {
            float s = qparams.scale(0);
            int z = qparams.zeroPoint(0);
            for (int i = 0; i < out.length; i++) out[i] = (t.read(data[i]) - z) * s;
        } else {
            int c = qparams.channels(), inner = 1;
            for (int d = qparams.axis() + 1; d < shape.length; d++) inner *= shape[d];
            for (int i = 0; i < out.length; i++) {
                int ch = (i / inner) % c;
                out[i] = (t.read(data[i]) - qparams.zeroPoint(ch)) * qparams.scale(ch);
            }
        }
        return Tensor.of(out, shape);
    }

    /** The stored integers (PyTorch's {@code int_repr()}). */
    public int[] intRepr() {
        int[] out = new int[data.length];
        for (int i = 0; i < out.length; i++) out[i] = qparams.dtype().read(data[i]);
        return out;
    }

    /** The backing bytes (not a copy): kernels read them directly. */
    public byte[] data() { return data; }

    public int[] shape() { return shape.clone(); }

    public int size(int dim) { return shape[dim]; }

    public int dim() { return shape.length; }

    public QParams qparams() { return qparams; }

    /** The same bytes under another shape with as many elements (per-tensor qparams only). */
    public QTensor reshape(int... newShape) {
        if (qparams.isPerChannel()) throw new IllegalArgumentException("reshape of a per-channel quantized tensor is not supported");
        return new QTensor(data, newShape, qparams);
    }

    @Override
    public String toString() {
        return "QTensor(shape=" + Arrays.toString(shape) + ", " + qparams + ")";
    }
}
