package org.sinter.compress.quant.observer;

/**
 * The clipping-range searches of {@link HistogramObserver}, each mapping a histogram over
 * [min, max] to a narrower [newMin, newMax].
 */
final class HistogramSearch {
    private HistogramSearch() {}

    /**
     * PyTorch's {@code _non_linear_param_search} (after Caffe2's norm minimisation): move whichever
     * end of the range cuts less mass by a 1e-5 quantile step, as long as the L2 error of quantizing
     * the histogram into {@code dstBins} levels keeps falling. Float32 where PyTorch computes in float32.
     */
    static float[] l2(float[] hist, float minVal, float maxVal, int dstBins) {
        int bins = hist.length;
        float binWidth = (maxVal - minVal) / bins;
        double total = 0;
        float[] cSum = new float[bins];
        for (int i = 0; i < bins; i++) {
            total += hist[i];
            cSum[i] = (float) total;
        }
        double stepsize = 1e-5, alpha = 0, beta = 1;
        int startBin = 0, endBin = bins - 1;
        double normMin = Double.POSITIVE_INFINITY;
        while (alpha < beta) {
            double nextAlpha = alpha + stepsize, nextBeta = beta - stepsize;
            int l = startBin, r = endBin;
            while (l < endBin && cSum[l] < (float) (nextAlpha * total)) l++;
            while (r > startBin && cSum[r] > (float) (nextBeta * total)) r--;
            int nextStart = startBin, nextEnd = endBin;
            if (l - startBin > endBin - r) {
                nextStart = l;
                alpha = nextAlpha;
            } else {
                nextEnd = r;
                beta = nextBeta;
            }
            if (nextStart == startBin && nextEnd == endBin) continue;
            double norm = quantizationError(hist, minVal, maxVal, nextStart, nextEnd, dstBins);
            if (norm > normMin) break;
            normMin = norm;
            startBin = nextStart;
            endBin = nextEnd;
        }
        return new float[] {minVal + binWidth * startBin, minVal + binWidth * (endBin + 1)};
    }

    /**
     * PyTorch's {@code _compute_quantization_error}: the L2 error of mapping source bins
     * [start, end] onto {@code dstBins} equal bins, each source bin's mass spread uniformly.
     */
    static double quantizationError(float[] hist, float minVal, float maxVal, int start, int end, int dstBins) {
        int bins = hist.length;
        double binWidthD = ((double) maxVal - (double) minVal) / bins;
        double dstWidthD = binWidthD * (end - start + 1) / dstBins;
        if (dstWidthD == 0.0) return 0.0;
        float binWidth = (float) binWidthD, dstWidth = (float) dstWidthD, half = (float) (dstWidthD / 2);
        float fullNorm = (half * half * half - (-half) * (-half) * (-half)) / 3;
        float sum = 0;
        for (int i = 0; i < bins; i++) {
            float begin = (float) (i - start) * binWidth;
            float endPos = begin + binWidth;
            float dBegin = clamp(floorDiv(begin, dstWidth), 0, dstBins - 1);
            float dEnd = clamp(floorDiv(endPos, dstWidth), 0, dstBins - 1);
            float density = hist[i] / binWidth;
            float db = begin - (dBegin + 0.5f) * dstWidth;
            float norm = density * ((half * half * half - db * db * db) / 3);
            norm += (dEnd - dBegin - 1) * (density * fullNorm);
            float de = endPos - (dEnd * dstWidth + dstWidth / 2);
            norm += density * ((de * de * de - (-half) * (-half) * (-half)) / 3);
            sum += norm;
        }
        return sum;
    }

    private static float floorDiv(float a, float b) {
        return (float) Math.floor(a / b);
    }

    private static float clamp(float v, float lo, float hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /**
     * Clips each tail where the cumulative histogram passes {@code 1 - q} and {@code q} (symmetric
     * schemes: the {@code q} quantile of |x|, applied to both sides).
     */
    static float[] percentile(float[] hist, float minVal, float maxVal, double q, boolean symmetric) {
        int bins = hist.length;
        float w = (maxVal - minVal) / bins;
        if (symmetric) {
            float amax = Math.max(Math.abs(minVal), Math.abs(maxVal));
            double[] abs = fold(hist, minVal, maxVal, bins, amax);
            double total = 0;
            for (double c : abs) total += c;
            double cum = 0;
            int i = 0;
            for (; i < bins - 1; i++) {
                cum += abs[i];
                if (cum >= q * total) break;
            }
            float t = amax * (i + 1) / bins;
            return new float[] {Math.max(minVal, -t), Math.min(maxVal, t)};
        }
        double total = 0;
        for (float c : hist) total += c;
        double cum = 0;
        int lo = 0;
        for (; lo < bins - 1; lo++) {
            cum += hist[lo];
            if (cum > (1 - q) * total) break;
        }
        cum = 0;
        int hi = bins - 1;
        for (; hi > lo; hi--) {
            cum += hist[hi];
            if (cum > (1 - q) * total) break;
        }
        return new float[] {minVal + w * lo, minVal + w * (hi + 1)};
    }

    /** Folds a signed histogram over [minVal, maxVal] onto {@code bins} bins of |x| over [0, amax], by bin centre. */
    static double[] fold(float[] hist, float minVal, float maxVal, int bins, float amax) {
        double[] abs = new double[bins];
        double w = ((double) maxVal - minVal) / hist.length;
        for (int i = 0; i < hist.length; i++) {
            if (hist[i] == 0) continue;
            double centre = Math.abs(minVal + (i + 0.5) * w);
            int j = (int) Math.min(bins - 1, Math.floor(centre / amax * bins));
            abs[j] += hist[i];
        }
        return abs;
    }

    /**
     * TensorRT's entropy calibration on the |x| histogram: for each candidate threshold bin i, the
     * reference P is the histogram up to i with the clipped tail added to its last bin, Q is the same
     * bins merged into {@code levels} quantization levels and spread back over their non-empty bins;
     * the threshold with the smallest KL(P || Q) wins.
     */
    static float[] entropy(float[] hist, float minVal, float maxVal, int levels) {
        int bins = hist.length;
        float amax = Math.max(Math.abs(minVal), Math.abs(maxVal));
        if (amax == 0) return new float[] {minVal, maxVal};
        double[] abs = fold(hist, minVal, maxVal, bins, amax);
        double[] tail = new double[bins + 1];
        for (int i = bins - 1; i >= 0; i--) tail[i] = tail[i + 1] + abs[i];
        double bestKl = Double.POSITIVE_INFINITY;
        int best = bins;
        double[] p = new double[bins], q = new double[bins];
        for (int i = levels; i <= bins; i++) {
            double pSum = 0;
            for (int j = 0; j < i; j++) {
                p[j] = abs[j];
                pSum += p[j];
            }
            p[i - 1] += tail[i];
            pSum += tail[i];
            if (pSum == 0) continue;
            // Merge bins [0, i) into `levels` groups; each group's mass spreads evenly over its non-empty bins.
            double qSum = 0;
            for (int g = 0; g < levels; g++) {
                int from = (int) ((long) g * i / levels), to = (int) ((long) (g + 1) * i / levels);
                double mass = 0;
                int nonEmpty = 0;
                for (int j = from; j < to; j++) {
                    mass += abs[j];
                    if (abs[j] != 0) nonEmpty++;
                }
                for (int j = from; j < to; j++) {
                    q[j] = abs[j] != 0 ? mass / nonEmpty : 0;
                    qSum += q[j];
                }
            }
            double kl = 0;
            for (int j = 0; j < i; j++) {
                if (p[j] == 0) continue;
                double pj = p[j] / pSum, qj = qSum == 0 ? 0 : q[j] / qSum;
                kl += pj * Math.log(pj / Math.max(qj, 1e-12)); // Q is 0 only at a clipped-tail bin: a large finite penalty
            }
            if (kl < bestKl) {
                bestKl = kl;
                best = i;
            }
        }
        float t = amax * best / bins;
        return new float[] {Math.max(minVal, -t), Math.min(maxVal, t)};
    }
}
