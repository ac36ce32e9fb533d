package org.sinter.privacy.accountant;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * The PRV accountant against exact curves: with q = 1 the composed loss of T Gaussian steps is
 * N(μ²/2, μ²) with μ = √T/σ, whose δ(ε) is the Gaussian-DP profile in closed form; with q < 1 and
 * one step, δ(ε) is the hockey-stick divergence ∫ max(0, P − e^ε Q), integrated numerically.
 */
class PrvAccountantTest {
    @Test
    void composedGaussianStepsGiveTheExactGaussianCurve() {
        double sigma = 2.0;
        long steps = 50;
        PrvAccountant prv = PrvAccountant.compose(sigma, 1.0, steps);
        double mu = Math.sqrt(steps) / sigma;
        for (double eps : new double[] {0.5, 2, 5, 8}) {
            double exact = GaussianDpAccountant.delta(eps, mu);
            assertEquals(exact, prv.delta(eps), 1e-6 * Math.max(1, exact * 1e3), "ε = " + eps);
        }
        double eps = prv.epsilon(1e-5);
        assertEquals(GaussianDpAccountant.epsilon(mu, 1e-5), eps, 2e-3);
    }

    @Test
    void oneSubsampledStepGivesTheHockeyStickDivergence() {
        double sigma = 0.8, q = 0.05;
        PrvAccountant prv = PrvAccountant.compose(sigma, q, 1);
        for (double eps : new double[] {0.0, 0.05, 0.2, 0.5}) {
            double exact = hockeyStick(eps, sigma, q);
            assertEquals(exact, prv.delta(eps), 1e-5 * exact + 1e-9, "ε = " + eps);
        }
    }

    @Test
    void theMnistExampleLiesBelowTheRdpBound() {
        double q = 256.0 / 60000;
        long steps = 14063;
        double prv = PrvAccountant.epsilon(1.1, q, steps, 1e-5);
        double rdp = RdpAccountant.epsilon(1.1, q, steps, 1e-5, RdpConversion.IMPROVED).epsilon();
        assertTrue(prv < rdp && prv > 0.5 * rdp, "PRV " + prv + " vs RDP " + rdp);
        // ε grows with steps and falls with σ.
        assertTrue(PrvAccountant.epsilon(1.1, q, steps / 4, 1e-5) < prv);
        assertTrue(PrvAccountant.epsilon(1.5, q, steps, 1e-5) < prv);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PrvAccountant.compose(0, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> PrvAccountant.compose(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> PrvAccountant.compose(1, 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> PrvAccountant.compose(1, 1, 1).epsilon(0));
    }

    /** ∫ max(0, p(x) − e^ε q(x)) dx for P = (1−q)N(0,σ²) + qN(1,σ²), Q = N(0,σ²), by Simpson's rule. */
    static double hockeyStick(double eps, double sigma, double q) {
        double a = -15 * sigma, b = 1 + 15 * sigma;
        int m = 2_000_000;
        double h = (b - a) / m, sum = 0, c = 1 / (sigma * Math.sqrt(2 * Math.PI));
        for (int i = 0; i <= m; i++) {
            double x = a + i * h;
            double q0 = c * Math.exp(-x * x / (2 * sigma * sigma)), q1 = c * Math.exp(-(x - 1) * (x - 1) / (2 * sigma * sigma));
            double f = Math.max(0, (1 - q) * q0 + q * q1 - Math.exp(eps) * q0);
            sum += (i == 0 || i == m ? 1 : i % 2 == 1 ? 4 : 2) * f;
        }
        return sum * h / 3;
    }
}
