package org.sinter.automl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.automl.fidelity.Asha;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.tuner.RandomTuner;

/** The epochs-to-target accounting of the Lab 8 benchmark, on synthetic curves whose ASHA run is worked out by hand. */
class Lab8FidelityBenchmarkTest {
    private static final SearchSpace SPACE = SearchSpace.builder().uniform("x", 0, 1).build();

    /** Later configurations are better at every epoch, and every configuration improves with epochs. */
    private static final class RisingCurves implements Lab8FidelityBenchmark.LearningCurves {
        final List<int[]> asked = new ArrayList<>();

        @Override
        public double accuracy(int config, int epoch) {
            asked.add(new int[] {config, epoch});
            return 0.5 + 0.01 * config + 0.001 * epoch;
        }
    }

    private static Asha asha() {
        return new Asha(new RandomTuner(SPACE, 0), 1, 9, 3, 1000);
    }

    /*
     * ASHA (eta 3, budgets 1, 3, 9), one worker, configuration c better than every earlier one: configurations 0, 1, 2
     * at 1 epoch; 2 promoted to 3 epochs; 3 at 1, promoted to 3; 4 at 1, promoted to 3, then (best of three at 3
     * epochs) to 9. With checkpoints: 5 x 1 + 3 x 2 + 6 = 17 epochs; from scratch 5 x 1 + 3 x 3 + 9 = 23; 9 jobs.
     */
    @Test
    void countsOnlyTheExtraEpochsOfPromotedJobsAndStopsAtTheTarget() throws Exception {
        RisingCurves curves = new RisingCurves();
        var r = Lab8FidelityBenchmark.epochsToReach(asha(), curves, 0.5 + 0.04 + 0.009, 9, 81);
        assertTrue(r.reached());
        assertEquals(0.549, r.accuracy(), 1e-12);
        assertEquals(17, r.epochs());
        assertEquals(23, r.scratchEpochs());
        assertEquals(9, r.jobs());
        assertEquals(5, r.configurations());
        int[] last = curves.asked.getLast();
        assertEquals(4, last[0]);
        assertEquals(9, last[1]);
    }

    @Test
    void aTargetNotReachedWithinTheCapIsNever() throws Exception {
        // The same run capped at 16 epochs: the 6-epoch promotion to the full budget would pass the cap, so it is not run.
        var capped = Lab8FidelityBenchmark.epochsToReach(asha(), new RisingCurves(), 0.549, 9, 16);
        assertFalse(capped.reached());
        assertEquals(11, capped.epochs());
        assertEquals(8, capped.jobs());
        // An unreachable target: ASHA runs until the next job would pass the cap, never past it.
        var never = Lab8FidelityBenchmark.epochsToReach(asha(), new RisingCurves(), 1.0, 9, 81);
        assertFalse(never.reached());
        assertTrue(never.epochs() <= 81 && never.epochs() > 70, "epochs " + never.epochs());
    }
}
