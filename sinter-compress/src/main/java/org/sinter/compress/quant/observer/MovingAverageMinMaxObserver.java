package org.sinter.compress.quant.observer;

import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QScheme;

/**
 * PyTorch's {@code MovingAverageMinMaxObserver}: the first batch's min/max, then an exponential
 * moving average {@code min += c * (batchMin - min)} with averaging constant {@code c} (default 0.01).
 */
public class MovingAverageMinMaxObserver extends MinMaxObserver {
    private final float averagingConstant;

    public MovingAverageMinMaxObserver() {
        this(0.01f, QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, false);
    }

    public MovingAverageMinMaxObserver(float averagingConstant, QDType dtype, QScheme qscheme, boolean reduceRange) {
        super(dtype, qscheme, reduceRange, null, null);
        if (!(averagingConstant > 0 && averagingConstant <= 1)) throw new IllegalArgumentException("averaging_constant must be in (0, 1], got " + averagingConstant);
        this.averagingConstant = averagingConstant;
    }

    @Override
    protected void update(float curMin, float curMax) {
        if (minVal == Float.POSITIVE_INFINITY && maxVal == Float.NEGATIVE_INFINITY) {
            minVal = curMin;
            maxVal = curMax;
        } else {
            minVal = minVal + averagingConstant * (curMin - minVal);
            maxVal = maxVal + averagingConstant * (curMax - maxVal);
        }
    }
}
