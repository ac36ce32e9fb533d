package org.sinter.compress.quant.observer;

import org.sinter.Tensor;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QScheme;

/**
 * Records statistics of the tensors passed through it and turns them into quantization parameters
 * (PyTorch's {@code UniformQuantizationObserverBase}). {@link #forward} returns its input unchanged,
 * so an observer can sit in a model during calibration.
 */
public abstract class Observer {
    /** float32 machine epsilon, PyTorch's default {@code eps}: the smallest scale an observer returns. */
    public static final float EPS = Math.ulp(1.0f);

    protected final QDType dtype;
    protected final QScheme qscheme;
    protected final boolean reduceRange;
    protected final int quantMin, quantMax;
    private final boolean customRange;

    protected Observer(QDType dtype, QScheme qscheme, boolean reduceRange, Integer quantMin, Integer quantMax) {
        this.dtype = dtype;
        this.qscheme = qscheme;
        this.reduceRange = reduceRange;
        int[] r = dtype.range(quantMin, quantMax, reduceRange);
        this.quantMin = r[0];
        this.quantMax = r[1];
        this.customRange = quantMin != null;
    }

    /** Records {@code x}'s statistics; returns {@code x}. */
    public abstract Tensor forward(Tensor x);

    /** The parameters for the values seen so far (scale 1, zero point 0 before any). */
    public abstract QParams calculateQparams();

    public QDType dtype() { return dtype; }

    public QScheme qscheme() { return qscheme; }

    public int quantMin() { return quantMin; }

    public int quantMax() { return quantMax; }

    /**
     * PyTorch's {@code _calculate_qparams} in float32: the range is widened to include 0, symmetric
     * schemes centre it, scales never go below {@link #EPS}.
     *
     * @param axis the channel axis recorded in the result (-1: per tensor)
     */
    protected QParams qparamsFor(float[] minVal, float[] maxVal, int axis) {
        int n = minVal.length;
        float[] scale = new float[n];
        int[] zp = new int[n];
        boolean valid = true;
        for (int i = 0; i < n; i++) {
            if (minVal[i] == Float.POSITIVE_INFINITY && maxVal[i] == Float.NEGATIVE_INFINITY) valid = false;
            else if (!(minVal[i] <= maxVal[i])) throw new IllegalStateException("observer min " + minVal[i] + " exceeds max " + maxVal[i] + " (channel " + i + ")");
        }
        if (!valid) return new QParams(new float[] {1f}, new int[] {0}, -1, dtype, quantMin, quantMax);
        for (int i = 0; i < n; i++) {
            float minNeg = Math.min(minVal[i], 0f), maxPos = Math.max(maxVal[i], 0f);
            if (qscheme.isSymmetric()) {
                maxPos = Math.max(-minNeg, maxPos);
                scale[i] = Math.max(maxPos / ((float) (quantMax - quantMin) / 2f), EPS);
                if (dtype == QDType.QUINT8) zp[i] = customRange ? Math.floorDiv(quantMin + quantMax, 2) : 128;
            } else {
                scale[i] = Math.max((maxPos - minNeg) / (float) (quantMax - quantMin), EPS);
                int z = quantMin - (int) Math.rint(minNeg / scale[i]);
                zp[i] = Math.max(quantMin, Math.min(quantMax, z));
            }
        }
        return new QParams(scale, zp, axis, dtype, quantMin, quantMax);
    }
}
