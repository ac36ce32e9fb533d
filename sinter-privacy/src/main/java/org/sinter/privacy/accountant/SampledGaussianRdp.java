package org.sinter.privacy.accountant;

/**
 * Rényi differential privacy of the Poisson-subsampled Gaussian mechanism (Mironov, Talwar and
 * Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism"): each example is in
 * a step's batch with probability {@code q}, the summed, clipped gradients get Gaussian noise of
 * standard deviation {@code σ} times the clipping norm.
 *
 * <p>The RDP of one step at order α is {@code log(A_α)/(α-1)} with
 * {@code A_α = E_{z~μ0}[((1-q) + q·μ1(z)/μ0(z))^α]}, {@code μ0 = N(0, σ²)}, {@code μ1 = N(1, σ²)};
 * composition over T steps multiplies it by T. A_α is computed in closed form:
 * <ul>
 *   <li>integer α: the binomial expansion
 *       {@code Σ_k C(α,k) (1-q)^(α-k) q^k exp((k²-k)/(2σ²))};</li>
 *   <li>fractional α: the integral is split at {@code z0 = σ² log(1/q - 1) + ½}, where
 *       {@code q·μ1/μ0 = 1-q}; below z0 the binomial series runs in powers of {@code q·μ1/μ0},
 *       above it in powers of {@code (1-q)·μ0/(q·μ1)}, and each term integrates a shifted
 *       Gaussian to an erfc.</li>
 * </ul>
 * Every term is kept as a logarithm, so large orders and tiny q neither over- nor underflow.
 */
public final class SampledGaussianRdp {
    /** A term this far (in log units) below the running sum no longer changes it in double precision. */
    private static final double NEGLIGIBLE_LOG_TERM = -40;
    private static final int MAX_SERIES_TERMS = 1_000_000;

    private SampledGaussianRdp() {}

    /**
     * RDP ε(α) of {@code steps} compositions of the sampled Gaussian mechanism, per order.
     *
     * @param q sampling rate in [0, 1]
     * @param noiseMultiplier σ, the noise standard deviation over the clipping norm (≥ 0)
     * @param steps number of steps (≥ 0)
     * @param orders Rényi orders, each > 1
     */
    public static double[] rdp(double q, double noiseMultiplier, long steps, double[] orders) {
        checkArgs(q, noiseMultiplier, steps);
        double[] out = new double[orders.length];
        for (int i = 0; i < orders.length; i++) out[i] = steps * rdpOneStep(q, noiseMultiplier, orders[i]);
        return out;
    }

    /** RDP of one step at order α. */
    public static double rdpOneStep(double q, double noiseMultiplier, double alpha) {
        checkArgs(q, noiseMultiplier, 0);
        if (!(alpha > 1) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("SampledGaussianRdp: Rényi order must be a finite number > 1, got " + alpha);
        }
        if (q == 0) return 0;
        if (noiseMultiplier == 0) return Double.POSITIVE_INFINITY;
        // q = 1 is the Gaussian mechanism itself: D_α(N(1,σ²) ‖ N(0,σ²)) = α/(2σ²).
        if (q == 1) return alpha / (2 * noiseMultiplier * noiseMultiplier);
        return logA(q, noiseMultiplier, alpha) / (alpha - 1);
    }

    /** log A_α for 0 < q < 1, σ > 0. */
    static double logA(double q, double sigma, double alpha) {
        return alpha == Math.rint(alpha) && alpha < Integer.MAX_VALUE
                ? logAInteger(q, sigma, (int) alpha)
                : logAFractional(q, sigma, alpha);
    }

    static double logAInteger(double q, double sigma, int alpha) {
        double logQ = Math.log(q), log1mQ = Math.log1p(-q), twoVar = 2 * sigma * sigma;
        double sum = Double.NEGATIVE_INFINITY, logBinom = 0;
        for (int k = 0; k <= alpha; k++) {
            if (k > 0) logBinom += Math.log(alpha - k + 1) - Math.log(k);
            double term = logBinom + k * logQ + (alpha - k) * log1mQ + ((double) k * k - k) / twoVar;
            sum = LogMath.logAdd(sum, term);
        }
        return sum;
    }

    static double logAFractional(double q, double sigma, double alpha) {
        double logQ = Math.log(q), log1mQ = Math.log1p(-q), twoVar = 2 * sigma * sigma;
        double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
        double sqrt2Sigma = Math.sqrt(2) * sigma, logHalf = Math.log(0.5);
        // The generalised binomial coefficients C(α, i) change sign once i > α + 1, so positive
        // and negative terms are summed apart and subtracted once at the end.
        double positive = Double.NEGATIVE_INFINITY, negative = Double.NEGATIVE_INFINITY;
        double logAbsBinom = 0;
        boolean binomPositive = true;
        for (int i = 0; i < MAX_SERIES_TERMS; i++) {
            if (i > 0) {
                double factor = (alpha - i + 1) / i;
                if (factor == 0) return LogMath.logSub(positive, negative); // integer α: the series ends
                logAbsBinom += Math.log(Math.abs(factor));
                if (factor < 0) binomPositive = !binomPositive;
            }
            double j = alpha - i;
            double below = logAbsBinom + i * logQ + j * log1mQ + ((double) i * i - i) / twoVar
                    + logHalf + LogMath.logErfc((i - z0) / sqrt2Sigma);
            double above = logAbsBinom + j * logQ + i * log1mQ + (j * j - j) / twoVar
                    + logHalf + LogMath.logErfc((z0 - j) / sqrt2Sigma);
            double both = LogMath.logAdd(below, above);
            if (binomPositive) positive = LogMath.logAdd(positive, both);
            else negative = LogMath.logAdd(negative, both);
            double total = LogMath.logAdd(positive, negative);
            if (i > alpha && Math.max(below, above) < total + NEGLIGIBLE_LOG_TERM) return LogMath.logSub(positive, negative);
        }
        throw new ArithmeticException("SampledGaussianRdp: the series for A_α did not converge (q=" + q + ", σ=" + sigma
                + ", α=" + alpha + ")");
    }

    private static void checkArgs(double q, double sigma, long steps) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("SampledGaussianRdp: sampling rate q must lie in [0, 1], got " + q);
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("SampledGaussianRdp: noise multiplier must be a finite number >= 0, got " + sigma);
        }
        if (steps < 0) throw new IllegalArgumentException("SampledGaussianRdp: steps must be >= 0, got " + steps);
    }
}
