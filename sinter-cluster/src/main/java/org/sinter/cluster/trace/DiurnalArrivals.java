package org.sinter.cluster.trace;

import java.util.SplittableRandom;

/**
 * A time-varying Poisson arrival process with a daily cycle: the rate is
 * {@code mean * (1 + amplitude * cos(2 pi (t - peak) / period))}, busiest at {@code peak} (t = 0 is
 * midnight), quietest half a period later, and {@code mean} on average over whole periods, so the
 * offered load is the same as plain Poisson arrivals at {@code mean}. Clusters see such cycles
 * (Philly's and Alibaba's submissions peak in working hours; Jeon et al., ATC'19, Weng et al.,
 * NSDI'22); a queue that drains at night and builds by day stresses a policy differently from a
 * steady stream. Drawn by thinning (Lewis and Shedler, 1979): candidates at the peak rate, each kept
 * with probability rate(t) / peak rate. Deterministic for the random stream it is given.
 */
public final class DiurnalArrivals {
    /** A day, and the hour submissions peak in the default cycle (early afternoon). */
    public static final double DAY_SECONDS = 86_400, DEFAULT_PEAK_SECONDS = 14 * 3600;

    private final double mean, amplitude, period, peak;

    /**
     * @param meanRate  arrivals per second, averaged over a period (> 0)
     * @param amplitude 0 (plain Poisson) to 1 (no arrivals at the quietest instant)
     * @param period    seconds of one cycle (> 0)
     * @param peak      seconds into the cycle when the rate is highest
     */
    public DiurnalArrivals(double meanRate, double amplitude, double period, double peak) {
        if (!(meanRate > 0) || Double.isInfinite(meanRate)) throw new IllegalArgumentException("diurnal arrivals: mean rate must be > 0, got " + meanRate);
        if (!(amplitude >= 0 && amplitude <= 1)) throw new IllegalArgumentException("diurnal arrivals: amplitude must be in [0, 1], got " + amplitude);
        if (!(period > 0) || Double.isInfinite(period)) throw new IllegalArgumentException("diurnal arrivals: period must be > 0 seconds, got " + period);
        this.mean = meanRate;
        this.amplitude = amplitude;
        this.period = period;
        this.peak = peak;
    }

    /** Arrivals per second at time {@code t}. */
    public double rate(double t) {
        return mean * (1 + amplitude * Math.cos(2 * Math.PI * (t - peak) / period));
    }

    /** The first {@code n} arrival times from t = 0, increasing. */
    public double[] times(int n, SplittableRandom random) {
        double[] out = new double[n];
        double max = mean * (1 + amplitude), t = 0;
        for (int i = 0; i < n; ) {
            t += -Math.log(1 - random.nextDouble()) / max;
            if (random.nextDouble() * max < rate(t)) out[i++] = t;
        }
        return out;
    }
}
