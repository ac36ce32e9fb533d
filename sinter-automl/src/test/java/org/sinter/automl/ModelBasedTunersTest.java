package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.automl.bench.TestFunction;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.tuner.GpTuner;
import org.sinter.automl.tuner.RandomTuner;
import org.sinter.automl.tuner.RegularizedEvolutionTuner;
import org.sinter.automl.tuner.SimulatedAnnealingTuner;
import org.sinter.automl.tuner.SmacTuner;
import org.sinter.automl.tuner.TpeTuner;
import org.sinter.automl.tuner.Tuner;
import org.sinter.automl.tuner.Tuners;

/** GP-BO, multivariate TPE, annealing and evolution against random search, and their determinism and ranges. */
class ModelBasedTunersTest {
    static final SearchSpace MIXED = SearchSpace.builder().uniform("a", -2, 2).logUniform("lr", 1e-5, 1).randInt("k", 0, 8)
            .choice("opt", "adam", "sgd", "rmsprop").build();

    /** Minimum 0 at a = 0.5, lr = 1e-3, k = 5, opt = sgd. */
    static double mixed(Map<String, Object> p) {
        double a = ((Number) p.get("a")).doubleValue(), lr = ((Number) p.get("lr")).doubleValue();
        int k = (Integer) p.get("k");
        return (a - 0.5) * (a - 0.5) + Math.pow(Math.log10(lr) + 3, 2) / 4 + Math.abs(k - 5) / 4.0 + (p.get("opt").equals("sgd") ? 0 : 0.5);
    }

    @Test
    void gpBeatsRandomSearchOnBraninAndHartmann6() {
        for (TestFunction f : new TestFunction[] {TestFunction.BRANIN, TestFunction.HARTMANN6}) {
            double[][] gp = TpeTunerTest.curves(seed -> new GpTuner(f.space(), seed), 5, 40, f::evaluate);
            double[][] random = TpeTunerTest.curves(seed -> new RandomTuner(f.space(), seed), 5, 40, f::evaluate);
            double gpRegret = TpeTunerTest.medianAt(gp, 40) - f.minimum(), randomRegret = TpeTunerTest.medianAt(random, 40) - f.minimum();
            System.out.printf("%s, 40 trials, median regret over 5 seeds: GP %.4g, random %.4g%n", f, gpRegret, randomRegret);
            assertTrue(gpRegret < 0.2 * randomRegret, f + ": GP " + gpRegret + " vs random " + randomRegret);
        }
    }

    @Test
    void smacBeatsRandomSearchOnBraninAndHartmann6AndOnTheMixedSpace() {
        for (TestFunction f : new TestFunction[] {TestFunction.BRANIN, TestFunction.HARTMANN6}) {
            double[][] smac = TpeTunerTest.curves(seed -> new SmacTuner(f.space(), seed), 5, 60, f::evaluate);
            double[][] random = TpeTunerTest.curves(seed -> new RandomTuner(f.space(), seed), 5, 60, f::evaluate);
            double smacRegret = TpeTunerTest.medianAt(smac, 60) - f.minimum(), randomRegret = TpeTunerTest.medianAt(random, 60) - f.minimum();
            System.out.printf("%s, 60 trials, median regret over 5 seeds: SMAC %.4g, random %.4g%n", f, smacRegret, randomRegret);
            assertTrue(smacRegret < 0.3 * randomRegret, f + ": SMAC " + smacRegret + " vs random " + randomRegret);
        }
        double random = TpeTunerTest.medianAt(TpeTunerTest.curves(s -> new RandomTuner(MIXED, s), 10, 60, ModelBasedTunersTest::mixed), 60);
        double smac = TpeTunerTest.medianAt(TpeTunerTest.curves(s -> new SmacTuner(MIXED, s), 10, 60, ModelBasedTunersTest::mixed), 60);
        System.out.printf("mixed space, 60 trials: SMAC median best %.4f, random %.4f%n", smac, random);
        assertTrue(smac < 0.7 * random, "SMAC " + smac + " vs random " + random);
    }

    @Test
    void localSearchTunersAndMultivariateTpeBeatRandomOnAMixedSpace() {
        double random = TpeTunerTest.medianAt(TpeTunerTest.curves(s -> new RandomTuner(MIXED, s), 10, 100, ModelBasedTunersTest::mixed), 100);
        // GP-BO is left out here only for time (a 100-trial GP run costs seconds); it is tested above and in the benchmark.
        for (String name : new String[] {"anneal", "evolution", "tpe-multivariate"}) {
            double[][] curves = TpeTunerTest.curves(s -> Tuners.create(name, MIXED, s), 10, 100, ModelBasedTunersTest::mixed);
            double median = TpeTunerTest.medianAt(curves, 100);
            System.out.printf("mixed space, 100 trials: %s median best %.4f, random %.4f%n", name, median, random);
            assertTrue(median < 0.7 * random, name + " " + median + " vs random " + random);
        }
    }

    @Test
    void sameSeedSameTrialsAndProposalsStayInTheSpace() {
        for (String name : new String[] {"anneal", "evolution", "tpe-multivariate", "gp", "smac"}) {
            Tuner a = Tuners.create(name, MIXED, 4), b = Tuners.create(name, MIXED, 4);
            for (int id = 0; id < 25; id++) {
                Map<String, Object> pa = a.generateParameters(id).orElseThrow(), pb = b.generateParameters(id).orElseThrow();
                assertEquals(pa, pb, name + " trial " + id);
                double lr = ((Number) pa.get("lr")).doubleValue(), x = ((Number) pa.get("a")).doubleValue();
                int k = (Integer) pa.get("k");
                assertTrue(lr >= 1e-5 && lr <= 1 && x >= -2 && x <= 2 && k >= 0 && k < 8, name + " " + pa);
                assertTrue(java.util.List.of("adam", "sgd", "rmsprop").contains(pa.get("opt")), name + " " + pa);
                double loss = mixed(pa);
                a.receiveTrialResult(id, pa, loss);
                b.receiveTrialResult(id, pb, loss);
            }
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SimulatedAnnealingTuner(MIXED, 0, 1, 1.5, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new RegularizedEvolutionTuner(MIXED, 0, 10, 11, 0.1));
        var e = assertThrows(IllegalArgumentException.class, () -> Tuners.create("bohb", MIXED, 0));
        assertTrue(e.getMessage().contains("unknown tuner 'bohb'"), e.getMessage());
        assertNotNull(new TpeTuner(MIXED, 0));
    }
}
