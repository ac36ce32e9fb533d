package org.sinter.automl.tuner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sinter.automl.bench.TestFunction;
import org.sinter.automl.space.SearchSpace;
import org.junit.jupiter.api.Test;

/**
 * The constant liar: with nothing running it proposes exactly what TPE proposes; with trials running, GP-BO's concurrent
 * proposals spread out instead of coinciding (the mechanism; regret under concurrency is not measured here).
 */
class ConstantLiarTunerTest {
    private static final TestFunction F = TestFunction.BRANIN;

    @Test
    void sequentialProposalsEqualTheWrappedTpe() {
        SearchSpace space = F.space();
        Tuner plain = new TpeTuner(space, 7);
        Tuner liar = new ConstantLiarTuner(() -> new TpeTuner(space, 7), ConstantLiarTuner.Lie.WORST);
        for (int i = 0; i < 30; i++) {
            Map<String, Object> a = plain.generateParameters(i).orElseThrow(), b = liar.generateParameters(i).orElseThrow();
            assertEquals(a, b, "trial " + i);
            double loss = F.evaluate(a);
            plain.receiveTrialResult(i, a, loss);
            liar.receiveTrialResult(i, b, loss);
        }
    }

    private static double distance(Map<String, Object> a, Map<String, Object> b) {
        double dx = (((Number) a.get("x0")).doubleValue() - ((Number) b.get("x0")).doubleValue()) / 15;
        double dy = (((Number) a.get("x1")).doubleValue() - ((Number) b.get("x1")).doubleValue()) / 15;
        return Math.hypot(dx, dy);
    }

    /** The smallest distance between two of four proposals made while the other three are running. */
    private static double batchSpread(Tuner tuner, int firstId) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int k = 0; k < 4; k++) batch.add(tuner.generateParameters(firstId + k).orElseThrow());
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 4; i++) for (int j = i + 1; j < 4; j++) min = Math.min(min, distance(batch.get(i), batch.get(j)));
        return min;
    }

    @Test
    void runningTrialsSpreadGpProposals() {
        SearchSpace space = F.space();
        int spreadWins = 0;
        for (long seed = 0; seed < 5; seed++) {
            final long s = seed;
            Tuner plain = new GpTuner(space, s, 10, 1000);
            Tuner liar = new ConstantLiarTuner(() -> new GpTuner(space, s, 10, 1000), ConstantLiarTuner.Lie.WORST);
            RandomTuner warm = new RandomTuner(space, 100 + s);
            for (int i = 0; i < 15; i++) { // the same 15 random results for both
                Map<String, Object> p = warm.generateParameters(i).orElseThrow();
                plain.receiveTrialResult(i, p, F.evaluate(p));
                liar.receiveTrialResult(i, p, F.evaluate(p));
            }
            double plainSpread = batchSpread(plain, 15), liarSpread = batchSpread(liar, 15);
            System.out.printf("seed %d: closest pair among 4 concurrent GP-BO proposals: plain %.4f, constant liar %.4f%n", seed, plainSpread, liarSpread);
            if (liarSpread > plainSpread && liarSpread > 0.05) spreadWins++;
        }
        assertEquals(5, spreadWins, "the liar should keep concurrent proposals apart");
    }
}
