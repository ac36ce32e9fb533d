package org.sinter.privacy.accountant;

/**
 * The privacy-loss-random-variable (PRV) accountant of Gopi, Lee and Wutschitz 2021 (Opacus'
 * {@code PRVAccountant}) for DP-SGD: the privacy loss of one step of the Poisson-subsampled
 * Gaussian mechanism is a random variable whose distribution is known in closed form; T steps
 * compose by adding T independent copies, i.e. by convolving its distribution T times, done here
 * with an FFT on a fine grid; δ(ε) = E[(1 − e^{ε−Y})⁺] is then read off the composed distribution.
 * Unlike the RDP bound this is an estimate of the exact curve (up to discretisation), and a second
 * opinion beside it, like the GDP (CLT) accountant.
 *
 * <p>The pair of distributions is Opacus' and the paper's: {@code P = (1 − q)·N(0, σ²) + q·N(1, σ²)},
 * {@code Q = N(0, σ²)}; the loss {@code Y = log(P(x)/Q(x))}, x ~ P, has
 * {@code CDF(t) = (1 − q)Φ(x(t)/σ) + qΦ((x(t) − 1)/σ)} with {@code x(t) = σ² log((e^t − 1 + q)/q) + ½}.
 * Each grid bin's probability is placed at its centre, and every value is shifted by the difference
 * between the exact mean of Y (its KL divergence, integrated numerically) and the discrete one, so
 * that rounding to the grid does not add up over T steps (the paper's mean correction). The grid
 * covers [−L, L) with L well beyond the RDP ε (so that the composed loss essentially never leaves
 * it: the convolution is circular).
 */
public final class PrvAccountant {
    /** Grid points: 2^20, a spacing of about 2·10^-5 for L = 10. */
    private static final int LOG2_POINTS = 20;

    private final double[] values;   // the composed loss at each grid point (mean-corrected)
    private final double[] mass;     // its probability

    private PrvAccountant(double[] values, double[] mass) {
        this.values = values;
        this.mass = mass;
    }

    /** The composed privacy loss of {@code steps} DP-SGD steps with noise multiplier σ and sample rate q. */
    public static PrvAccountant compose(double noiseMultiplier, double sampleRate, long steps) {
        if (!(noiseMultiplier > 0)) throw new IllegalArgumentException("PrvAccountant: noise multiplier must be > 0, got " + noiseMultiplier);
        if (!(sampleRate > 0 && sampleRate <= 1)) throw new IllegalArgumentException("PrvAccountant: sample rate must be in (0, 1], got " + sampleRate);
        if (steps < 1) throw new IllegalArgumentException("PrvAccountant: steps must be >= 1, got " + steps);
        double rdp = RdpAccountant.epsilon(noiseMultiplier, sampleRate, steps, 1e-12, RdpConversion.CLASSIC).epsilon();
        double bound = Math.min(400, Math.max(10, 2 * rdp + 2));
        int n = 1 << LOG2_POINTS;
        double h = 2 * bound / n;
        double sigma = noiseMultiplier, q = sampleRate;
        double[] re = new double[n], im = new double[n];
        double discreteMean = 0;
        for (int k = 0; k < n; k++) {
            double t = -bound + k * h;
            double lo = t - h / 2, hi = t + h / 2;
            double p = t > 0 ? survival(lo, sigma, q) - survival(hi, sigma, q) : cdf(hi, sigma, q) - cdf(lo, sigma, q);
            re[k] = Math.max(0, p);
            discreteMean += re[k] * t;
        }
        double shift = klDivergence(sigma, q) - discreteMean;
        Fft.transform(re, im, false);
        for (int k = 0; k < n; k++) {
            double r = Math.hypot(re[k], im[k]), theta = Math.atan2(im[k], re[k]);
            double rt = Math.pow(r, steps), angle = (theta * steps) % (2 * Math.PI);
            re[k] = rt * Math.cos(angle);
            im[k] = rt * Math.sin(angle);
        }
        Fft.transform(re, im, true);
        // Index j holds the sums of T grid indices ≡ j (mod n); the one inside [−L, L) is j − (T−1)n/2.
        int offset = (int) Math.floorMod((steps - 1) * (long) (n / 2), (long) n);
        double[] values = new double[n], mass = new double[n];
        for (int j = 0; j < n; j++) {
            int jj = Math.floorMod(j - offset, n);
            values[jj] = -bound + jj * h + steps * shift;
            mass[jj] = Math.max(0, re[j]);
        }
        return new PrvAccountant(values, mass);
    }

    /** δ(ε) = Σ_y p(y)·(1 − e^{ε − y}) over y > ε. */
    public double delta(double epsilon) {
        double d = 0;
        for (int i = values.length - 1; i >= 0 && values[i] > epsilon; i--) d += mass[i] * -Math.expm1(epsilon - values[i]);
        return d;
    }

    /** The smallest ε ≥ 0 with δ(ε) ≤ {@code delta}, by bisection. */
    public double epsilon(double delta) {
        if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("PrvAccountant: δ must be in (0, 1), got " + delta);
        if (delta(0) <= delta) return 0;
        double lo = 0, hi = values[values.length - 1];
        if (delta(hi) > delta) throw new IllegalStateException("PrvAccountant: δ = " + delta + " lies beyond the grid (ε > " + hi + ")");
        for (int i = 0; i < 100 && hi - lo > 1e-9; i++) {
            double mid = (lo + hi) / 2;
            if (delta(mid) > delta) lo = mid;
            else hi = mid;
        }
        return hi;
    }

    /** ε of DP-SGD after {@code steps} steps for δ (the PRV estimate). */
    public static double epsilon(double noiseMultiplier, double sampleRate, long steps, double delta) {
        return compose(noiseMultiplier, sampleRate, steps).epsilon(delta);
    }

    /** x(t): where the privacy loss equals t (the loss grows with x); −∞ below its support {@code log(1 − q)}. */
    static double threshold(double t, double sigma, double q) {
        double rest = (1 - q) * Math.exp(-t);
        if (rest >= 1) return Double.NEGATIVE_INFINITY;
        return sigma * sigma * (t + Math.log1p(-rest) - Math.log(q)) + 0.5;
    }

    static double cdf(double t, double sigma, double q) {
        double x = threshold(t, sigma, q);
        if (x == Double.NEGATIVE_INFINITY) return 0;
        return (1 - q) * phi(x / sigma) + q * phi((x - 1) / sigma);
    }

    static double survival(double t, double sigma, double q) {
        double x = threshold(t, sigma, q);
        if (x == Double.NEGATIVE_INFINITY) return 1;
        return (1 - q) * phi(-x / sigma) + q * phi((1 - x) / sigma);
    }

    /** Φ(z), accurate in the lower tail (erfc in log space). */
    static double phi(double z) {
        return 0.5 * Math.exp(LogMath.logErfc(-z / Math.sqrt(2)));
    }

    /** E_P[log(P/Q)], the exact mean of one step's loss, by Simpson's rule over x (σ-scaled range far into the tails). */
    static double klDivergence(double sigma, double q) {
        double a = -14 * sigma, b = 1 + 14 * sigma;
        int m = 400_000;
        double step = (b - a) / m, sum = 0;
        for (int i = 0; i <= m; i++) {
            double x = a + i * step;
            double w = i == 0 || i == m ? 1 : (i % 2 == 1 ? 4 : 2);
            double p0 = Math.exp(-x * x / (2 * sigma * sigma)), p1 = Math.exp(-(x - 1) * (x - 1) / (2 * sigma * sigma));
            double density = ((1 - q) * p0 + q * p1) / (sigma * Math.sqrt(2 * Math.PI));
            double loss = Math.log1p(q * Math.expm1((2 * x - 1) / (2 * sigma * sigma)));
            if (density > 0) sum += w * density * loss;
        }
        return sum * step / 3;
    }

    /** Radix-2 complex FFT, in place. */
    static final class Fft {
        private Fft() {}

        static void transform(double[] re, double[] im, boolean inverse) {
            int n = re.length;
            for (int i = 1, j = 0; i < n; i++) {
                int bit = n >> 1;
                for (; (j & bit) != 0; bit >>= 1) j ^= bit;
                j ^= bit;
                if (i < j) {
                    double t = re[i]; re[i] = re[j]; re[j] = t;
                    t = im[i]; im[i] = im[j]; im[j] = t;
                }
            }
            for (int len = 2; len <= n; len <<= 1) {
                double ang = 2 * Math.PI / len * (inverse ? 1 : -1);
                int half = len / 2;
                // Twiddles of this stage, computed directly (no recurrence drift).
                double[] cr = new double[half], ci = new double[half];
                for (int k = 0; k < half; k++) {
                    cr[k] = Math.cos(ang * k);
                    ci[k] = Math.sin(ang * k);
                }
                for (int i = 0; i < n; i += len) {
                    for (int k = 0; k < half; k++) {
                        int u = i + k, v = u + half;
                        double xr = re[v] * cr[k] - im[v] * ci[k], xi = re[v] * ci[k] + im[v] * cr[k];
                        re[v] = re[u] - xr;
                        im[v] = im[u] - xi;
                        re[u] += xr;
                        im[u] += xi;
                    }
                }
            }
            if (inverse) {
                for (int i = 0; i < n; i++) {
                    re[i] /= n;
                    im[i] /= n;
                }
            }
        }
    }
}
