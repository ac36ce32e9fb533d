package org.sinter.automl.tuner;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.automl.space.Parameter;

/**
 * TPE's Parzen estimator against Optuna 3.1's (fixture written by src/test/python/optuna_parzen_fixture.py): with
 * Optuna 3.1's score the log values agree to 1e-6 for 0 to 60 observations (prior, bandwidths, magic clip,
 * endpoints, weights); the true density differs from it by exactly the per-component {@code log σ}, and integrates to one.
 */
class ParzenEstimatorTest {
    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asDouble();
        return out;
    }

    @Test
    void optuna31ScoreEqualsOptunasLogPdf() throws Exception {
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/automl/optuna_parzen.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        assertEquals(6, fixture.get("cases").size());
        for (JsonNode c : fixture.get("cases")) {
            double low = c.get("low").asDouble(), high = c.get("high").asDouble();
            double[] obs = doubles(c.get("observations")), xs = doubles(c.get("x")), expected = doubles(c.get("log_pdf"));
            ParzenEstimator pe = new ParzenEstimator(obs, low, high, (low + high) / 2, high - low, true);
            for (int i = 0; i < xs.length; i++)
                // 1e-6: the truncation masses come from Sinter's erfc approximation (relative error about 1e-7).
                assertEquals(expected[i], pe.logDensity(xs[i]), 1e-6, obs.length + " observations, x = " + xs[i]);
        }
    }

    @Test
    void theTrueDensityIntegratesToOne() {
        double[] obs = {1.5, -4.0, 9.2, 3.3, 3.4, 0.1, 7.7};
        ParzenEstimator pe = new ParzenEstimator(obs, -5, 10, 2.5, 15, false);
        int steps = 200_000;
        double h = 15.0 / steps, integral = 0;
        for (int i = 0; i < steps; i++) integral += Math.exp(pe.logDensity(-5 + (i + 0.5) * h)) * h;
        assertEquals(1, integral, 1e-6);
    }

    /**
     * The weight rule TpeTuner uses by default against Optuna's, on a hand-computed case: on [0, 1], one old observation
     * at 0.05 (width 0.45, the gap to the prior at 0.5) and 25 newer ones at 0.60, 0.6008, ... (width 0.1 for the first,
     * the magic clip's 1/28 for the rest). Equal weights give every component 1/27; Optuna's ramp gives the oldest
     * 1/26 against the newer ones' 1, so g(x) forgets the region it covers. Expected values: the mixture written out
     * term by term in float64 (Python's math.erfc), Optuna 3.1's score (no 1/σ).
     */
    @Test
    void equalWeightsKeepOldObservationsOptunasRampForgetsThem() {
        List<Object> values = new ArrayList<>();
        values.add(0.05);
        for (int k = 0; k < 25; k++) values.add(0.60 + 0.0008 * k);
        NumericScale scale = NumericScale.of(new Parameter.Uniform(0, 1));
        ParzenEstimator equal = scale.estimator(values, true, false), ramp = scale.estimator(values, true, true);
        assertEquals(-2.7659597123763966, equal.logDensity(0.05), 1e-6);
        assertEquals(-2.7802849194311836, equal.logDensity(0.3), 1e-6);
        assertEquals(-3.2893826152032526, ramp.logDensity(0.05), 1e-6);
        assertEquals(-3.2102225760358887, ramp.logDensity(0.3), 1e-6);
        assertArrayEquals(new double[] {1, 1, 1}, ParzenEstimator.equalWeights(3));
        // Below 25 observations the two rules agree.
        assertEquals(scale.estimator(values.subList(0, 20), true, false).logDensity(0.3),
                scale.estimator(values.subList(0, 20), true, true).logDensity(0.3), 1e-15);
    }
}
