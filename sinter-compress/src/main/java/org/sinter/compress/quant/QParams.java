package org.sinter.compress.quant;

import java.util.Arrays;

/**
 * Quantization parameters: {@code q = clamp(round(x / scale) + zeroPoint, quantMin, quantMax)},
 * one (scale, zero point) for the whole tensor, or one per slice along {@code axis} (per-channel).
 * Rounding is half to even of {@code x * (1/scale)}, as ATen's quantizer computes it.
 *
 * @param axis the channel dimension, or -1 for per-tensor parameters
 */
public record QParams(float[] scale, int[] zeroPoint, int axis, QDType dtype, int quantMin, int quantMax) {
    public QParams {
        if (scale.length != zeroPoint.length || scale.length == 0) {
            throw new IllegalArgumentException("qparams need as many scales as zero points (got " + scale.length + " and " + zeroPoint.length + ")");
        }
        if (axis < 0 && scale.length != 1) throw new IllegalArgumentException("per-tensor qparams hold one scale, got " + scale.length);
        for (int i = 0; i < scale.length; i++) {
            if (!(scale[i] > 0) || !Float.isFinite(scale[i])) throw new IllegalArgumentException("scale[" + i + "] must be positive and finite, got " + scale[i]);
            if (zeroPoint[i] < quantMin || zeroPoint[i] > quantMax) {
                throw new IllegalArgumentException("zero_point[" + i + "] = " + zeroPoint[i] + " is outside [" + quantMin + ", " + quantMax + "]");
            }
        }
        scale = scale.clone();
        zeroPoint = zeroPoint.clone();
    }

    public static QParams perTensor(float scale, int zeroPoint, QDType dtype) {
        return new QParams(new float[] {scale}, new int[] {zeroPoint}, -1, dtype, dtype.min(), dtype.max());
    }

    public static QParams perTensor(float scale, int zeroPoint, QDType dtype, int quantMin, int quantMax) {
        return new QParams(new float[] {scale}, new int[] {zeroPoint}, -1, dtype, quantMin, quantMax);
    }

    public boolean isPerChannel() { return axis >= 0; }

    public int channels() { return scale.length; }

    /** The scale of channel {@code c} (channel 0 for per-tensor parameters). */
    public float scale(int c) { return scale[isPerChannel() ? c : 0]; }

    public int zeroPoint(int c) { return zeroPoint[isPerChannel() ? c : 0]; }

    @Override
    public float[] scale() { return scale.clone(); }

    @Override
    public int[] zeroPoint() { return zeroPoint.clone(); }

    /** Quantizes one value with channel {@code c}'s parameters. */
    public int quantize(float x, int c) {
        // ATen multiplies by the float inverse of the scale (quantize_val, the AVX2 quantizer, fake_quantize).
        float inv = 1.0f / scale(c);
        long q = (long) Math.rint(x * inv) + zeroPoint(c);
        return (int) Math.max(quantMin, Math.min(quantMax, q));
    }

    public float dequantize(int q, int c) {
        return (q - zeroPoint(c)) * scale(c);
    }

    @Override
    public String toString() {
        return "QParams(" + dtype.torchName() + (isPerChannel() ? ", axis=" + axis : "") + ", scale=" + Arrays.toString(scale)
                + ", zero_point=" + Arrays.toString(zeroPoint) + ", range=[" + quantMin + ", " + quantMax + "])";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QParams p && axis == p.axis && dtype == p.dtype && quantMin == p.quantMin && quantMax == p.quantMax
                && Arrays.equals(scale, p.scale) && Arrays.equals(zeroPoint, p.zeroPoint);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(scale) + Arrays.hashCode(zeroPoint) + axis;
    }
}
