package org.sinter.automl.tuner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.automl.space.Parameter;

/**
 * The multivariate estimator's observation weights: with {@code forgetOld} Optuna's ramp, without it equal weights.
 * One uniform parameter on [0, 1], one old observation at 0.05 and 25 newer ones at 0.60, 0.6008, ...; every
 * observation's width is the multivariate rule's {@code 0.2 · 26^(-1/5) = 0.10424}, the prior's 1 at 0.5. Equal
 * weights give each component 1/27; the ramp gives the oldest 1/26 of a newer one's weight. Expected values: the
 * truncated-Gaussian mixture written out in float64 (Python's math.erfc), true densities (with 1/σ).
 */
class JointParzenEstimatorTest {
    private static JointParzenEstimator estimator(boolean forgetOld) {
        Parameter x = new Parameter.Uniform(0, 1);
        List<Map<String, Object>> observations = new ArrayList<>();
        observations.add(Map.of("x", 0.05));
        for (int k = 0; k < 25; k++) observations.add(Map.of("x", 0.60 + 0.0008 * k));
        return new JointParzenEstimator(List.of(x), List.of(NumericScale.of(x)), List.of("x"), observations, false, forgetOld);
    }

    @Test
    void equalWeightsKeepTheOldObservationTheRampForgetsIt() {
        JointParzenEstimator equal = estimator(false), ramp = estimator(true);
        // 1e-6: Sinter's normal CDF is an erfc approximation (relative error about 1e-7).
        assertEquals(-1.4187214123199232, equal.logDensity(new double[] {0.05}), 1e-6);
        assertEquals(-2.3744625202314915, equal.logDensity(new double[] {0.3}), 1e-6);
        assertEquals(-3.114019867860528, ramp.logDensity(new double[] {0.05}), 1e-6);
        assertEquals(-2.4667530291775037, ramp.logDensity(new double[] {0.3}), 1e-6);
    }
}
