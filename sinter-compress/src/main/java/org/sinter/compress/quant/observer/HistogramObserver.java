package org.sinter.compress.quant.observer;

import org.sinter.Tensor;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QScheme;

/**
 * PyTorch's {@code HistogramObserver}: a 2048-bin histogram over the running [min, max], merged
 * across batches by PyTorch's upsample-then-downsample rule when the range grows. The clipping range
 * comes from one of three calibrations ({@link Calibration}): PyTorch's L2-error search (the "MSE"
 * method, PyTorch's only one), a percentile of the values, or TensorRT's entropy (KL divergence)
 * calibration.
 *
 * <p>One deliberate difference: PyTorch 1.13 builds each batch's histogram with
 * {@code histc(x, min=int(min_val), max=int(max_val))}, truncating the range to integers (values
 * outside the truncated range are dropped); this observer bins over the true range.
 */
public class HistogramObserver extends Observer {
    /** How the clipping range is chosen from the histogram. */
    public enum Calibration {
        /** PyTorch's {@code _non_linear_param_search}: shrink the range while the L2 quantization error falls. */
        L2,
        /** Clip each tail at a percentile of the values (e.g. 99.99). */
        PERCENTILE,
        /** TensorRT's calibration: the |x| threshold minimising KL(reference || quantized) of the distribution. */
        ENTROPY
    }

    /** PyTorch's {@code dst_nbins}: 2 ** the dtype's bits, with reduce_range or not. */
    private static final int DST_BINS = 256;

    private final int bins, upsampleRate;
    private final Calibration calibration;
    private final double percentile;
    private float[] histogram;
    private float minVal = Float.POSITIVE_INFINITY, maxVal = Float.NEGATIVE_INFINITY;

    /** PyTorch's default: 2048 bins, quint8, per-tensor affine, L2 search. */
    public HistogramObserver() {
        this(QDType.QUINT8, QScheme.PER_TENSOR_AFFINE, false);
    }

    public HistogramObserver(QDType dtype, QScheme qscheme, boolean reduceRange) {
        this(2048, dtype, qscheme, reduceRange, Calibration.L2, 99.99);
    }

    /** @param percentile used by {@link Calibration#PERCENTILE}: the share of values kept on each side, in percent */
    public HistogramObserver(int bins, QDType dtype, QScheme qscheme, boolean reduceRange, Calibration calibration, double percentile) {
        super(dtype, qscheme, reduceRange, null, null);
        if (qscheme.isPerChannel()) throw new IllegalArgumentException("HistogramObserver is per tensor, got " + qscheme);
        if (bins < 256) throw new IllegalArgumentException("HistogramObserver needs at least 256 bins, got " + bins);
        if (!(percentile > 50 && percentile <= 100)) throw new IllegalArgumentException("percentile must be in (50, 100], got " + percentile);
        this.bins = bins;
        this.upsampleRate = 128;
        this.calibration = calibration;
        this.percentile = percentile;
        this.histogram = new float[bins];
    }

    public float[] histogram() { return histogram.clone(); }

    public float minVal() { return minVal; }

    public float maxVal() { return maxVal; }

    @Override
    public Tensor forward(Tensor x) {
        if (x.numel() == 0) return x;
        float[] v = x.toFloatArray();
        float[] mm = MinMaxObserver.aminmax(v);
        boolean uninitialized = minVal == Float.POSITIVE_INFINITY && maxVal == Float.NEGATIVE_INFINITY;
        if (uninitialized || minVal == maxVal) {
            minVal = mm[0];
            maxVal = mm[1];
            histogram = histc(v, bins, minVal, maxVal);
            return x;
        }
        float combinedMin = Math.min(mm[0], minVal), combinedMax = Math.max(mm[1], maxVal);
        // _adjust_min_max: a common grid whose step is the old bin width / upsampleRate.
        float hbw = (maxVal - minVal) / (bins * upsampleRate);
        int downsample = (int) Math.ceil((combinedMax - combinedMin) / (bins * hbw));
        float e = downsample * (bins * hbw) - (combinedMax - combinedMin);
        combinedMax = combinedMax + e; // relax only the max, so one-sided distributions keep min 0
        int startIdx = (int) Math.rint((minVal - combinedMin) / hbw);
        float[] combined = histc(v, bins, combinedMin, combinedMax);
        if (combinedMin == minVal && combinedMax == maxVal) {
            for (int i = 0; i < bins; i++) combined[i] += histogram[i];
        } else {
            combineHistograms(combined, histogram, downsample, startIdx);
        }
        histogram = combined;
        minVal = combinedMin;
        maxVal = combinedMax;
        return x;
    }

    /** {@code torch.histc}: {@code bins} equal bins over [lo, hi]; values outside are not counted. */
    static float[] histc(float[] v, int bins, float lo, float hi) {
        if (lo == hi) {
            lo -= 1;
            hi += 1;
        }
        float[] h = new float[bins];
        for (float f : v) {
            if (f < lo || f > hi) continue;
            int pos = (int) ((f - lo) * bins / (hi - lo));
            if (pos >= bins) pos = bins - 1;
            h[pos] += 1;
        }
        return h;
    }

    /** PyTorch's {@code _combine_histograms}: spreads the old histogram over a fine grid, then sums it into the new bins. */
    private void combineHistograms(float[] into, float[] old, int downsample, int startIdx) {
        double[] fine = new double[bins * downsample];
        for (int i = 0; i < bins; i++) {
            for (int u = 0; u < upsampleRate; u++) {
                int at = startIdx + i * upsampleRate + u;
                if (at >= 0 && at < fine.length) fine[at] = old[i];
            }
        }
        double cum = 0, prev = 0;
        for (int i = 0, j = 0; i < fine.length; i++) {
            cum += fine[i];
            if (i % downsample == downsample - 1) {
                into[j++] += (float) ((cum - prev) / upsampleRate);
                prev = cum;
            }
        }
    }

    @Override
    public QParams calculateQparams() {
        if (minVal == Float.POSITIVE_INFINITY && maxVal == Float.NEGATIVE_INFINITY) {
            return qparamsFor(new float[] {minVal}, new float[] {maxVal}, -1);
        }
        float[] range = switch (calibration) {
            case L2 -> HistogramSearch.l2(histogram, minVal, maxVal, DST_BINS);
            case PERCENTILE -> HistogramSearch.percentile(histogram, minVal, maxVal, percentile / 100, qscheme.isSymmetric());
            case ENTROPY -> HistogramSearch.entropy(histogram, minVal, maxVal, minVal >= 0 ? quantMax - quantMin + 1 : (quantMax - quantMin + 1) / 2);
        };
        return qparamsFor(new float[] {range[0]}, new float[] {range[1]}, -1);
    }
}
