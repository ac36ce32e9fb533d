package org.sinter.compress.quant.observer;

import java.util.Arrays;
import org.sinter.Tensor;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QScheme;

/**
 * PyTorch's {@code PerChannelMinMaxObserver}: a running min/max per slice along {@code chAxis}
 * (default 0, the output channels of a Linear or Conv2d weight), giving per-channel qparams.
 */
public class PerChannelMinMaxObserver extends Observer {
    private final int chAxis;
    private float[] minVals, maxVals;

    /** PyTorch's per-channel weight observer: qint8, per-channel symmetric, axis 0. */
    public PerChannelMinMaxObserver() {
        this(0, QDType.QINT8, QScheme.PER_CHANNEL_SYMMETRIC, false);
    }

    public PerChannelMinMaxObserver(int chAxis, QDType dtype, QScheme qscheme, boolean reduceRange) {
        super(dtype, qscheme, reduceRange, null, null);
        if (!qscheme.isPerChannel()) throw new IllegalArgumentException("PerChannelMinMaxObserver needs a per-channel scheme, got " + qscheme);
        if (chAxis < 0) throw new IllegalArgumentException("ch_axis must be >= 0, got " + chAxis);
        this.chAxis = chAxis;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.numel() == 0) return x;
        int[] shape = x.shape();
        if (chAxis >= shape.length) throw new IllegalArgumentException("ch_axis " + chAxis + " is out of range for shape " + Arrays.toString(shape));
        int c = shape[chAxis], inner = 1;
        for (int d = chAxis + 1; d < shape.length; d++) inner *= shape[d];
        if (minVals == null) {
            minVals = new float[c];
            maxVals = new float[c];
            Arrays.fill(minVals, Float.POSITIVE_INFINITY);
            Arrays.fill(maxVals, Float.NEGATIVE_INFINITY);
        } else if (minVals.length != c) {
            throw new IllegalArgumentException("observer saw " + minVals.length + " channels before, now " + c + " (shape " + Arrays.toString(shape) + ")");
        }
        float[] v = x.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            int ch = (i / inner) % c;
            if (Float.isNaN(v[i])) throw new IllegalArgumentException("observer input holds NaN");
            minVals[ch] = Math.min(minVals[ch], v[i]);
            maxVals[ch] = Math.max(maxVals[ch], v[i]);
        }
        return x;
    }

    public float[] minVals() { return minVals == null ? new float[0] : minVals.clone(); }

    public float[] maxVals() { return maxVals == null ? new float[0] : maxVals.clone(); }

    public int chAxis() { return chAxis; }

    @Override
    public QParams calculateQparams() {
        if (minVals == null) return qparamsFor(new float[] {Float.POSITIVE_INFINITY}, new float[] {Float.NEGATIVE_INFINITY}, -1);
        return qparamsFor(minVals, maxVals, chAxis);
    }
}
