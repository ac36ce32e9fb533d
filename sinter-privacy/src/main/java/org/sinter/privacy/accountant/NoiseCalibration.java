package org.sinter.privacy.accountant;

/**
 * "Make private with a target ε": the smallest noise multiplier σ whose ε after the given steps is
 * at most the target (Opacus' {@code get_noise_multiplier}). ε falls as σ grows, so σ is found by
 * bisection, first doubling an upper bound until it meets the target.
 */
public final class NoiseCalibration {
    private static final double MAX_SIGMA = 1e6;

    private NoiseCalibration() {}

    /**
     * @param tolerance how far below the target the returned σ's ε may lie (Opacus' epsilon_tolerance, e.g. 0.01)
     */
    public static double noiseMultiplier(double targetEpsilon, double delta, double sampleRate, long steps,
                                         RdpConversion conversion, double tolerance) {
        if (!(targetEpsilon > 0) || Double.isInfinite(targetEpsilon)) {
            throw new IllegalArgumentException("NoiseCalibration: target ε must be a finite number > 0, got " + targetEpsilon);
        }
        if (!(tolerance > 0)) throw new IllegalArgumentException("NoiseCalibration: tolerance must be > 0, got " + tolerance);
        double lo = 0, hi = 10;
        while (eps(hi, delta, sampleRate, steps, conversion) > targetEpsilon) {
            lo = hi;
            hi *= 2;
            if (hi > MAX_SIGMA) {
                throw new IllegalArgumentException("NoiseCalibration: no noise multiplier up to " + MAX_SIGMA + " reaches ε = " + targetEpsilon
                        + " for δ = " + delta + ", q = " + sampleRate + ", " + steps + " steps");
            }
        }
        double epsHi = eps(hi, delta, sampleRate, steps, conversion);
        while (targetEpsilon - epsHi > tolerance) {
            double mid = (lo + hi) / 2;
            double e = eps(mid, delta, sampleRate, steps, conversion);
            if (e < targetEpsilon) {
                hi = mid;
                epsHi = e;
            } else {
                lo = mid;
            }
            if (hi - lo < 1e-12 * hi) break;
        }
        return hi;
    }

    private static double eps(double sigma, double delta, double q, long steps, RdpConversion conversion) {
        return RdpAccountant.epsilon(sigma, q, steps, delta, conversion).epsilon();
    }
}
