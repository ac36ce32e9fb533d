package org.sinter.privacy.accountant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The closed forms of A_α against a second, independent computation: the RDP definition
 * {@code A_α = ∫ μ0(z) ((1-q) + q·exp((2z-1)/(2σ²)))^α dz} integrated numerically (composite
 * Simpson on a fine grid, in log space so large orders do not overflow).
 */
class SampledGaussianRdpTest {

    /** log A_α by direct numerical integration of the definition. */
    static double logAByIntegration(double q, double sigma, double alpha) {
        // The integrand peaks near z = α (the tilted Gaussian's mean); cover it generously.
        double lo = -40 * sigma, hi = alpha + 40 * sigma;
        int n = 400_000; // even
        double h = (hi - lo) / n;
        double[] logF = new double[n + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= n; i++) {
            double z = lo + i * h;
            double logMu0 = -z * z / (2 * sigma * sigma) - Math.log(sigma * Math.sqrt(2 * Math.PI));
            double logRatio = (2 * z - 1) / (2 * sigma * sigma);
            double logMix = LogMath.logAdd(Math.log1p(-q), Math.log(q) + logRatio);
            logF[i] = logMu0 + alpha * logMix;
            max = Math.max(max, logF[i]);
        }
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double w = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += w * Math.exp(logF[i] - max);
        }
        return max + Math.log(sum * h / 3);
    }

    @Test
    void integerOrdersMatchNumericalIntegration() {
        double[][] cases = {{0.01, 1.0, 2}, {0.01, 1.1, 8}, {0.1, 2.0, 5}, {0.5, 1.5, 3}, {0.004, 0.8, 20}, {0.2, 4.0, 32}};
        for (double[] c : cases) {
            double exact = SampledGaussianRdp.logAInteger(c[0], c[1], (int) c[2]);
            double numeric = logAByIntegration(c[0], c[1], c[2]);
            assertEquals(numeric, exact, 1e-9 * Math.max(1, Math.abs(numeric)), "q=" + c[0] + " σ=" + c[1] + " α=" + c[2]);
        }
    }

    @Test
    void fractionalOrdersMatchNumericalIntegration() {
        double[][] cases = {{0.01, 1.0, 1.5}, {0.01, 1.1, 7.3}, {0.1, 2.0, 2.7}, {0.3, 1.5, 3.25}, {0.004, 0.8, 12.9},
                            {0.2, 4.0, 30.5}, {0.6, 1.2, 1.1}, {0.05, 0.5, 4.4}};
        for (double[] c : cases) {
            double series = SampledGaussianRdp.logAFractional(c[0], c[1], c[2]);
            double numeric = logAByIntegration(c[0], c[1], c[2]);
            assertEquals(numeric, series, 1e-8 * Math.max(1, Math.abs(numeric)), "q=" + c[0] + " σ=" + c[1] + " α=" + c[2]);
        }
    }

    @Test
    void fractionalSeriesAgreesWithBinomialSumAtIntegerOrders() {
        // At integer α the generalised series must reduce to the finite binomial sum.
        for (int alpha = 2; alpha <= 40; alpha += 3) {
            assertEquals(SampledGaussianRdp.logAInteger(0.02, 1.3, alpha), SampledGaussianRdp.logAFractional(0.02, 1.3, alpha), 1e-9,
                    "α=" + alpha);
        }
    }

    @Test
    void fullBatchIsThePlainGaussianMechanism() {
        for (double sigma : new double[] {0.5, 1.0, 1.1, 3.0}) {
            for (double alpha : new double[] {1.5, 2, 10, 63}) {
                assertEquals(alpha / (2 * sigma * sigma), SampledGaussianRdp.rdpOneStep(1.0, sigma, alpha), 0);
                assertEquals(alpha / (2 * sigma * sigma), logAByIntegration(0.999999999, sigma, alpha) / (alpha - 1),
                        1e-6 * alpha / (2 * sigma * sigma), "σ=" + sigma + " α=" + alpha);
            }
        }
    }

    @Test
    void compositionIsLinearInSteps() {
        double one = SampledGaussianRdp.rdpOneStep(0.01, 1.1, 8);
        assertEquals(1000 * one, SampledGaussianRdp.rdp(0.01, 1.1, 1000, new double[] {8})[0], 1e-12);
        assertEquals(0, SampledGaussianRdp.rdp(0.01, 1.1, 0, new double[] {8})[0]);
    }

    @Test
    void rdpGrowsWithSamplingRateAndOrderAndFallsWithNoise() {
        double prev = 0;
        for (double q : new double[] {0.001, 0.01, 0.05, 0.2, 0.5, 0.9, 1.0}) {
            double r = SampledGaussianRdp.rdpOneStep(q, 1.1, 6.5);
            assertTrue(r > prev, "q=" + q);
            prev = r;
        }
        prev = Double.POSITIVE_INFINITY;
        for (double s : new double[] {0.5, 0.8, 1.1, 2, 5}) {
            double r = SampledGaussianRdp.rdpOneStep(0.01, s, 6.5);
            assertTrue(r < prev, "σ=" + s);
            prev = r;
        }
        prev = 0;
        for (double a : RdpAccountant.DEFAULT_ORDERS) {
            double r = SampledGaussianRdp.rdpOneStep(0.01, 1.1, a);
            assertTrue(r >= prev, "α=" + a);
            prev = r;
        }
    }

    @Test
    void edgeCasesAndBadArguments() {
        assertEquals(0, SampledGaussianRdp.rdpOneStep(0, 1.0, 2));
        assertEquals(Double.POSITIVE_INFINITY, SampledGaussianRdp.rdpOneStep(0.1, 0, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdpOneStep(1.5, 1, 2));
        assertTrue(e.getMessage().contains("sampling rate q"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdpOneStep(0.1, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdpOneStep(0.1, 1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdp(0.1, 1, -1, new double[] {2}));
    }

    @Test
    void logErfcIsAccurateIncludingWhereErfcUnderflows() {
        // Reference values of erfc (Abramowitz and Stegun tables / exact erfc(0) = 1).
        assertEquals(0.0, LogMath.logErfc(0), 1e-15);
        assertEquals(Math.log(0.157299207050285), LogMath.logErfc(1), 1e-13);
        assertEquals(Math.log(1.842700792949715), LogMath.logErfc(-1), 1e-13);
        assertEquals(Math.log(0.004677734981047266), LogMath.logErfc(2), 1e-13);
        assertEquals(Math.log(2.209049699858544e-05), LogMath.logErfc(3), 1e-12);
        // Asymptotically erfc(x) ~ exp(-x²)/(x√π)·(1 - 1/(2x²) + 3/(4x⁴)).
        double x = 40;
        double asym = -x * x - Math.log(x * Math.sqrt(Math.PI)) + Math.log(1 - 1 / (2 * x * x) + 3 / (4 * Math.pow(x, 4)));
        assertEquals(asym, LogMath.logErfc(x), 1e-9);
        assertEquals(Math.log(2), LogMath.logErfc(-40), 1e-15);
    }
}
