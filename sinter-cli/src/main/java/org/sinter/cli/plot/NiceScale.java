package org.sinter.cli.plot;

import java.math.BigDecimal;

/**
 * Axis ticks at "nice" round numbers (1, 2, 2.5 or 5 times a power of ten) covering a data range,
 * so labels read 0, 0.5, 1.0, 1.5 rather than 0.0137, 0.4912...
 *
 * @param min   the first tick (at or below the data minimum)
 * @param max   the last tick (at or above the data maximum)
 * @param step  the distance between ticks
 */
record NiceScale(double min, double max, double step) {
    /** A scale with about {@code maxTicks} ticks over [lo, hi]; degenerate ranges are widened. */
    static NiceScale of(double lo, double hi, int maxTicks) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            lo = 0;
            hi = 1;
        }
        if (hi < lo) {
            double t = lo;
            lo = hi;
            hi = t;
        }
        if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = niceStep((hi - lo) / Math.max(1, maxTicks - 1));
        double min = Math.floor(lo / step + 1e-9) * step;
        double max = Math.ceil(hi / step - 1e-9) * step;
        return new NiceScale(min, max, step);
    }

    private static double niceStep(double raw) {
        double exp = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / exp;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        return nice * exp;
    }

    /** The tick values from min to max. */
    double[] ticks() {
        int n = (int) Math.round((max - min) / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = min + i * step;
        return t;
    }

    /** A tick label with just the decimals the step needs (no 0.30000000000000004). */
    String label(double v) {
        if (Math.abs(v) < step * 1e-9) v = 0;
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e6 || a < 1e-4)) return String.format(java.util.Locale.ROOT, "%.2g", v);
        int decimals = Math.max(0, BigDecimal.valueOf(step).stripTrailingZeros().scale());
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }
}
