package org.sinter.compress.quant.observer;

import org.sinter.Tensor;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QScheme;

/** PyTorch's {@code MinMaxObserver}: the running minimum and maximum of everything seen (per tensor). */
public class MinMaxObserver extends Observer {
    protected float minVal = Float.POSITIVE_INFINITY, maxVal = Float.NEGATIVE_INFINITY;

    /** PyTorch's defaults: quint8, per-tensor affine, full range. */
    public MinMaxObserver() {
        this(QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, false, null, null);
    }

    public MinMaxObserver(QDType dtype, QScheme qscheme, boolean reduceRange) {
        this(dtype, qscheme, reduceRange, null, null);
    }

    public MinMaxObserver(QDType dtype, QScheme qscheme, boolean reduceRange, Integer quantMin, Integer quantMax) {
        super(dtype, qscheme, reduceRange, quantMin, quantMax);
        if (qscheme.isPerChannel()) throw new IllegalArgumentException("MinMaxObserver is per tensor; use PerChannelMinMaxObserver for " + qscheme);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.numel() == 0) return x;
        float[] mm = aminmax(x.toFloatArray());
        update(mm[0], mm[1]);
        return x;
    }

    protected void update(float curMin, float curMax) {
        minVal = Math.min(minVal, curMin);
        maxVal = Math.max(maxVal, curMax);
    }

    static float[] aminmax(float[] v) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            if (Float.isNaN(f)) throw new IllegalArgumentException("observer input holds NaN");
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        return new float[] {lo, hi};
    }

    public float minVal() { return minVal; }

    public float maxVal() { return maxVal; }

    @Override
    public QParams calculateQparams() {
        return qparamsFor(new float[] {minVal}, new float[] {maxVal}, -1);
    }
}
