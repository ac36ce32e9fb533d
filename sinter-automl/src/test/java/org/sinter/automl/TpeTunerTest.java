package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.tuner.RandomTuner;
import org.sinter.automl.tuner.TpeTuner;
import org.sinter.automl.tuner.Tuner;

class TpeTunerTest {
    static final SearchSpace BRANIN_SPACE = SearchSpace.builder().uniform("x1", -5, 10).uniform("x2", 0, 15).build();
    static final double BRANIN_MIN = 0.397887;

    /** Branin-Hoo: three global minima of 0.397887 at (-π, 12.275), (π, 2.275), (9.42478, 2.475). */
    static double branin(Map<String, Object> p) {
        double x1 = ((Number) p.get("x1")).doubleValue(), x2 = ((Number) p.get("x2")).doubleValue();
        double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        double y = x2 - b * x1 * x1 + c * x1 - 6;
        return y * y + 10 * (1 - t) * Math.cos(x1) + 10;
    }

    /** The best loss found after each trial, the tuner run sequentially. */
    static double[] bestCurve(Tuner tuner, int trials, ToDoubleFunction<Map<String, Object>> loss) {
        double[] curve = new double[trials];
        double best = Double.POSITIVE_INFINITY;
        for (int id = 0; id < trials; id++) {
            Map<String, Object> p = tuner.generateParameters(id).orElseThrow();
            double l = loss.applyAsDouble(p);
            tuner.receiveTrialResult(id, p, l);
            best = Math.min(best, l);
            curve[id] = best;
        }
        return curve;
    }

    static double[][] curves(LongFunction<Tuner> make, int seeds, int trials, ToDoubleFunction<Map<String, Object>> loss) {
        double[][] out = new double[seeds][];
        for (int s = 0; s < seeds; s++) out[s] = bestCurve(make.apply(s), trials, loss);
        return out;
    }

    static double medianAt(double[][] curves, int trial) {
        double[] v = Arrays.stream(curves).mapToDouble(c -> c[trial - 1]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double meanAt(double[][] curves, int trial) {
        return Arrays.stream(curves).mapToDouble(c -> c[trial - 1]).average().orElseThrow();
    }

    @Test
    void tpeBeatsRandomSearchOnBraninOverTenSeeds() {
        double[][] tpe = curves(seed -> new TpeTuner(BRANIN_SPACE, seed), 10, 100, TpeTunerTest::branin);
        double[][] random = curves(seed -> new RandomTuner(BRANIN_SPACE, seed), 10, 100, TpeTunerTest::branin);
        for (int trials : new int[] {25, 50, 100}) {
            System.out.printf("Branin regret after %3d trials, 10 seeds: TPE median %.4f mean %.4f | random median %.4f mean %.4f%n",
                    trials, medianAt(tpe, trials) - BRANIN_MIN, meanAt(tpe, trials) - BRANIN_MIN,
                    medianAt(random, trials) - BRANIN_MIN, meanAt(random, trials) - BRANIN_MIN);
        }
        assertTrue(meanAt(tpe, 50) < meanAt(random, 50), "TPE's mean best after 50 trials should beat random's");
        assertTrue(medianAt(tpe, 100) < medianAt(random, 100));
        // TPE's 50 trials do better on average than random's 100
        assertTrue(meanAt(tpe, 50) < meanAt(random, 100));
    }

    @Test
    void tpeConcentratesOnTheMinimumOfAShiftedQuadraticWithMixedParameters() {
        SearchSpace space = SearchSpace.builder()
                .uniform("x", -10, 10).logUniform("lr", 1e-5, 1).randInt("n", 0, 50).choice("act", "relu", "tanh", "gelu").build();
        ToDoubleFunction<Map<String, Object>> loss = p -> {
            double x = (Double) p.get("x") - 3, lr = Math.log10((Double) p.get("lr")) + 2, n = ((Integer) p.get("n") - 37) / 10.0;
            return x * x + lr * lr + n * n + (p.get("act").equals("gelu") ? 0 : 1);
        };
        double[][] tpe = curves(seed -> new TpeTuner(space, seed), 8, 80, loss);
        double[][] random = curves(seed -> new RandomTuner(space, seed), 8, 80, loss);
        assertTrue(meanAt(tpe, 80) < 0.7 * meanAt(random, 80), meanAt(tpe, 80) + " vs " + meanAt(random, 80));
    }

    @Test
    void theSameSeedGivesTheSameTrials() {
        List<Map<String, Object>> a = new ArrayList<>(), b = new ArrayList<>();
        for (List<Map<String, Object>> out : List.of(a, b)) {
            Tuner t = new TpeTuner(BRANIN_SPACE, 42);
            for (int id = 0; id < 30; id++) {
                var p = t.generateParameters(id).orElseThrow();
                out.add(p);
                t.receiveTrialResult(id, p, branin(p));
            }
        }
        assertEquals(a, b);
        Tuner other = new TpeTuner(BRANIN_SPACE, 43);
        assertNotEquals(a.getFirst(), other.generateParameters(0).orElseThrow());
    }

    @Test
    void proposalsStayInsideTheSpaceForEveryKind() {
        SearchSpace space = SearchSpace.builder()
                .quniform("q", 0.3, 2.2, 0.5).qlogUniform("ql", 1, 1000, 10).randInt("r", 3, 8)
                .normal("n", 0, 1).qnormal("qn", 0, 1, 0.25).logNormal("ln", 0, 1).build();
        Tuner t = new TpeTuner(space, 1, 5, 24);
        for (int id = 0; id < 60; id++) {
            var p = t.generateParameters(id).orElseThrow();
            double q = (Double) p.get("q"), ql = (Double) p.get("ql"), qn = (Double) p.get("qn"), ln = (Double) p.get("ln");
            int r = (Integer) p.get("r");
            assertTrue(List.of(0.5, 1.0, 1.5, 2.0).contains(q), p.toString());
            assertTrue(ql == 1 || (ql % 10 == 0 && ql <= 1000), p.toString());
            assertTrue(r >= 3 && r < 8, p.toString());
            assertEquals(0, Math.abs(qn / 0.25 - Math.rint(qn / 0.25)), 1e-9);
            assertTrue(ln > 0);
            t.receiveTrialResult(id, p, Math.abs(q - 1.5) + Math.abs(r - 7) + Math.abs((Double) p.get("n") - 0.5));
        }
    }

    /**
     * The candidate count sets how greedy a proposal is: the argmax of l/g over k draws from l(x). On x in [0, 1] with
     * loss (x - 0.3)² and 40 evenly spread trials, one candidate is a draw from l(x) (its prior spreads it over the
     * box); more candidates pull the proposals towards the good trials around 0.3. The default is 8 candidates.
     */
    @Test
    void moreCandidatesPullProposalsTowardsTheGoodTrials() {
        SearchSpace space = SearchSpace.builder().uniform("x", 0, 1).build();
        double[] spread = new double[3];
        int[] counts = {1, TpeTuner.DEFAULT_CANDIDATES, 24};
        for (int c = 0; c < counts.length; c++) {
            double[] distance = new double[400];
            for (int seed = 0; seed < distance.length; seed++) {
                Tuner tuner = new TpeTuner(space, seed, 10, counts[c]);
                Tuner byDefault = new TpeTuner(space, seed);
                for (int id = 0; id < 40; id++) {
                    double x = (id + 0.5) / 40;
                    tuner.receiveTrialResult(id, Map.of("x", x), (x - 0.3) * (x - 0.3));
                    byDefault.receiveTrialResult(id, Map.of("x", x), (x - 0.3) * (x - 0.3));
                }
                Map<String, Object> proposal = tuner.generateParameters(40).orElseThrow();
                if (counts[c] == TpeTuner.DEFAULT_CANDIDATES) assertEquals(proposal, byDefault.generateParameters(40).orElseThrow());
                distance[seed] = Math.abs((Double) proposal.get("x") - 0.3);
            }
            Arrays.sort(distance);
            spread[c] = distance[distance.length / 2];
        }
        assertEquals(8, TpeTuner.DEFAULT_CANDIDATES);
        System.out.println("median |x - 0.3| for 1, 8, 24 candidates: " + Arrays.toString(spread));
        assertTrue(spread[0] > 1.3 * spread[1] && spread[1] > 1.1 * spread[2], "median |x - 0.3| for 1, 8, 24 candidates: " + Arrays.toString(spread));
    }
}
