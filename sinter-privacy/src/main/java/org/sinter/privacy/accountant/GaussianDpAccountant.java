package org.sinter.privacy.accountant;

/**
 * The Gaussian-DP accountant (Dong, Roth and Su 2019; Bu, Dong, Long and Su 2020, "Deep
 * Learning with Gaussian Differential Privacy"), Opacus' {@code GaussianAccountant}: a second
 * opinion beside the RDP accountant. By the central limit theorem for composition, T steps of
 * the Poisson-subsampled Gaussian mechanism are approximately μ-GDP with
 * {@code μ = q·√(T·(e^{1/σ²} − 1))}, and μ-GDP is (ε, δ(ε))-DP for every ε with
 * {@code δ(ε) = Φ(−ε/μ + μ/2) − e^ε·Φ(−ε/μ − μ/2)}.
 *
 * <p>This is an asymptotic approximation, not an upper bound: for few steps or large q it can
 * understate ε (Opacus warns likewise). Use the {@link RdpAccountant} for guarantees.
 */
public final class GaussianDpAccountant {
    private GaussianDpAccountant() {}

    /** μ of T Poisson-subsampled Gaussian steps by the CLT. */
    public static double mu(double sampleRate, double noiseMultiplier, long steps) {
        if (!(sampleRate >= 0 && sampleRate <= 1)) throw new IllegalArgumentException("GaussianDpAccountant: q must lie in [0, 1], got " + sampleRate);
        if (!(noiseMultiplier > 0)) throw new IllegalArgumentException("GaussianDpAccountant: σ must be > 0, got " + noiseMultiplier);
        if (steps < 0) throw new IllegalArgumentException("GaussianDpAccountant: steps must be >= 0, got " + steps);
        return sampleRate * Math.sqrt(steps * Math.expm1(1 / (noiseMultiplier * noiseMultiplier)));
    }

    /** δ(ε) of μ-GDP: the tight privacy profile of the Gaussian mechanism with sensitivity μ and unit noise. */
    public static double delta(double epsilon, double mu) {
        if (mu == 0) return 0;
        // e^ε·Φ(b) is computed as exp(ε + log Φ(b)) so it neither overflows nor loses digits.
        double a = -epsilon / mu + mu / 2, b = -epsilon / mu - mu / 2;
        return Math.max(0, Math.exp(logPhi(a)) - Math.exp(epsilon + logPhi(b)));
    }

    /** The smallest ε ≥ 0 with δ(ε) ≤ δ, by bisection (δ(ε) falls with ε). */
    public static double epsilon(double mu, double delta) {
        if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("GaussianDpAccountant: δ must lie in (0, 1), got " + delta);
        if (delta(0, mu) <= delta) return 0;
        double lo = 0, hi = 1;
        while (delta(hi, mu) > delta) {
            lo = hi;
            hi *= 2;
            if (hi > 1e6) throw new ArithmeticException("GaussianDpAccountant: no ε below 1e6 reaches δ = " + delta + " for μ = " + mu);
        }
        for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
            double mid = (lo + hi) / 2;
            if (delta(mid, mu) > delta) lo = mid;
            else hi = mid;
        }
        return hi;
    }

    /** ε for δ after T steps at (σ, q). */
    public static double epsilon(double noiseMultiplier, double sampleRate, long steps, double delta) {
        return epsilon(mu(sampleRate, noiseMultiplier, steps), delta);
    }

    /** log Φ(x) = log(½·erfc(−x/√2)). */
    static double logPhi(double x) {
        return Math.log(0.5) + LogMath.logErfc(-x / Math.sqrt(2));
    }
}
