package org.sinter.compress.quant.kernels;

/**
 * The epilogue of the int8 kernels, applied to an exact int32 sum of zero-point-corrected products:
 * either requantization to uint8 or dequantization to float, with the float bias and ReLU fused.
 * Requantization follows fbgemm's float-bias rule in float32:
 * {@code q = clamp(rint((acc + bias / (sx * sw)) * (sx * sw / sy)) + zy)}.
 */
public record Requantize(boolean toFloat, float outScale, int outZeroPoint, int outMin, int outMax, boolean relu) {
    /** Dequantize to float32 (optionally with ReLU). */
    public static Requantize toFloat(boolean relu) {
        return new Requantize(true, 1f, 0, 0, 0, relu);
    }

    /** Requantize to quint8 with the output's scale and zero point over [0, 255] (PyTorch's quantized ops). */
    public static Requantize toUint8(float outScale, int outZeroPoint, boolean relu) {
        return toUint8(outScale, outZeroPoint, 0, 255, relu);
    }

    /**
     * Requantize to quint8 over the calibrated range {@code [outMin, outMax]}: with a reduced (7-bit)
     * range the next layer's kernel can take its faster two-products-per-lane path.
     */
    public static Requantize toUint8(float outScale, int outZeroPoint, int outMin, int outMax, boolean relu) {
        if (!(outScale > 0)) throw new IllegalArgumentException("output scale must be positive, got " + outScale);
        if (outMin < 0 || outMax > 255 || outMin >= outMax) throw new IllegalArgumentException("output range [" + outMin + ", " + outMax + "] must lie in [0, 255]");
        if (outZeroPoint < outMin || outZeroPoint > outMax) throw new IllegalArgumentException("output zero_point must be in [" + outMin + ", " + outMax + "], got " + outZeroPoint);
        return new Requantize(false, outScale, outZeroPoint, outMin, outMax, relu);
    }

    /** The quantized output for one corrected accumulator; {@code actTimesWScale = sx * sw}. */
    int quantized(int acc, float actTimesWScale, float bias) {
        float rawF = acc + bias / actTimesWScale;
        float multiplier = actTimesWScale / outScale;
        long q = (long) Math.rint(rawF * multiplier) + outZeroPoint;
        int lo = relu ? Math.max(outMin, outZeroPoint) : outMin;
        return (int) Math.max(lo, Math.min(outMax, q));
    }

    float dequantized(int acc, float actTimesWScale, float bias) {
        float y = acc * actTimesWScale + bias;
        return relu ? Math.max(0f, y) : y;
    }
}
