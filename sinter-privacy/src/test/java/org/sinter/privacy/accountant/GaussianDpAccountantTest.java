package org.sinter.privacy.accountant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussianDpAccountantTest {

    /** δ(ε) of N(μ,1) against N(0,1) from its definition ∫ max(0, p1 − e^ε p0), integrated numerically. */
    static double deltaByIntegration(double epsilon, double mu) {
        double lo = -12, hi = mu + 12, sum = 0;
        int n = 200_000;
        double h = (hi - lo) / n;
        for (int i = 0; i <= n; i++) {
            double z = lo + i * h;
            double p1 = Math.exp(-(z - mu) * (z - mu) / 2) / Math.sqrt(2 * Math.PI);
            double p0 = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
            double f = Math.max(0, p1 - Math.exp(epsilon) * p0);
            sum += (i == 0 || i == n ? 0.5 : 1) * f;
        }
        return sum * h;
    }

    @Test
    void privacyProfileMatchesTheDefinition() {
        for (double mu : new double[] {0.3, 1.0, 2.5}) {
            for (double eps : new double[] {0.0, 0.5, 1.0, 3.0}) {
                double exact = GaussianDpAccountant.delta(eps, mu);
                assertEquals(deltaByIntegration(eps, mu), exact, 1e-8, "μ=" + mu + " ε=" + eps);
            }
        }
    }

    @Test
    void epsilonInvertsDelta() {
        for (double mu : new double[] {0.2, 0.8, 2.0}) {
            double eps = GaussianDpAccountant.epsilon(mu, 1e-5);
            assertEquals(1e-5, GaussianDpAccountant.delta(eps, mu), 1e-12, "μ=" + mu);
        }
        assertEquals(0, GaussianDpAccountant.epsilon(1e-9, 1e-5));
    }

    @Test
    void muByTheCentralLimitTheorem() {
        double q = 256.0 / 60000, sigma = 1.1;
        assertEquals(q * Math.sqrt(14063 * (Math.exp(1 / (sigma * sigma)) - 1)), GaussianDpAccountant.mu(q, sigma, 14063), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> GaussianDpAccountant.mu(q, 0, 10));
    }

    @Test
    void secondOpinionOnTheMnistExampleIsBelowTheRdpBound() {
        double q = 256.0 / 60000;
        double gdp = GaussianDpAccountant.epsilon(1.1, q, 14063, 1e-5);
        double rdp = RdpAccountant.epsilon(1.1, q, 14063, 1e-5, RdpConversion.IMPROVED).epsilon();
        System.out.printf("MNIST σ=1.1 60 epochs δ=1e-5: GDP (CLT) ε=%.4f, RDP improved ε=%.4f%n", gdp, rdp);
        // The CLT approximation is known to be tighter than the RDP bound on this example (Bu et al. 2020).
        assertTrue(gdp < rdp && gdp > 0.3 * rdp, "GDP " + gdp + " vs RDP " + rdp);
    }
}
