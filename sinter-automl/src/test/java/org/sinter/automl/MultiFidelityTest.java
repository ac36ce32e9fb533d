package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sinter.automl.bench.MultiFidelityBenchmark;
import org.sinter.automl.bench.TestFunction;
import org.sinter.automl.fidelity.Asha;
import org.sinter.automl.fidelity.Hyperband;
import org.sinter.automl.fidelity.Job;
import org.sinter.automl.tuner.RandomTuner;

/** Hyperband's brackets, ASHA's promotions, and all three schedulers against random search on a synthetic learning curve. */
class MultiFidelityTest {

    @Test
    void hyperbandBracketsAreThoseOfTheHyperbandPaper() {
        // Li et al. 2018, Table 1: R = 81, η = 3.
        Hyperband hb = new Hyperband(TestFunction.BRANIN.space(), 0, 1, 81, 3, 1);
        assertEquals(4, hb.maxBracket());
        int[][] sizes = {{5}, {8, 2}, {15, 5, 1}, {34, 11, 3, 1}, {81, 27, 9, 3, 1}};
        double[][] budgets = {{81}, {27, 81}, {9, 27, 81}, {3, 9, 27, 81}, {1, 3, 9, 27, 81}};
        for (int s = 0; s <= 4; s++)
            for (int i = 0; i <= s; i++) {
                assertEquals(sizes[s][i], hb.rungSize(s, i), "bracket " + s + " rung " + i);
                assertEquals(budgets[s][i], hb.rungBudget(s, i), 1e-9);
            }
    }

    @Test
    void hyperbandPromotesTheBestOfEachCompleteRungAndWaitsForIt() {
        Hyperband hb = new Hyperband(TestFunction.BRANIN.space(), 1, 1, 9, 3, 1);
        Map<Integer, Map<Double, Double>> seen = new HashMap<>();
        List<Job> running = new ArrayList<>();
        int jobs = 0;
        while (!hb.done()) {
            Optional<Job> next = hb.next();
            if (next.isPresent()) {
                running.add(next.get());
                continue;
            }
            assertFalse(running.isEmpty(), "empty while nothing runs but not done");
            // The rung is fully handed out and waits: finish everything that runs (in reverse, to be asynchronous).
            for (int i = running.size() - 1; i >= 0; i--) {
                Job j = running.get(i);
                double l = MultiFidelityBenchmark.loss(j.parameters(), j.budget());
                Map<Double, Double> history = seen.computeIfAbsent(j.config(), c -> new HashMap<>());
                if (j.rung() > 0) {
                    // A promoted configuration beat every unpromoted one of its previous rung... checked below.
                    assertTrue(history.containsKey(j.budget() / 3), "config " + j.config() + " promoted without a lower-rung result");
                }
                history.put(j.budget(), l);
                hb.report(j, l);
                jobs++;
            }
            running.clear();
        }
        // η = 3, R = 9: brackets (9@1, 3@3, 1@9), (5@3, 1@9), (3@9): 9+3+1 + 5+1 + 3 = 22 jobs.
        assertEquals(22, jobs);
        // In bracket 2 (configs 0-8), the 3 promoted to budget 3 are the 3 best at budget 1.
        List<Integer> bracket = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8));
        bracket.sort((a, b) -> Double.compare(seen.get(a).get(1.0), seen.get(b).get(1.0)));
        for (int i = 0; i < 9; i++) assertEquals(i < 3, seen.get(bracket.get(i)).containsKey(3.0), "config " + bracket.get(i));
    }

    @Test
    void ashaPromotesWithoutWaitingForARungToFill() {
        Asha asha = new Asha(new RandomTuner(TestFunction.BRANIN.space(), 2), 1, 9, 3, 100);
        assertEquals(3, asha.rungCount());
        List<Job> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) first.add(asha.next().orElseThrow());
        assertTrue(first.stream().allMatch(j -> j.rung() == 0 && j.budget() == 1));
        double[] losses = {5, 1, 3};
        for (int i = 0; i < 3; i++) asha.report(first.get(i), losses[i]);
        // 3 results at rung 0: the best third (config 1) is promoted at once, while rung 0 keeps growing.
        Job promoted = asha.next().orElseThrow();
        assertEquals(1, promoted.config());
        assertEquals(1, promoted.rung());
        assertEquals(3, promoted.budget());
        Job fresh = asha.next().orElseThrow();
        assertEquals(3, fresh.config());
        assertEquals(0, fresh.rung());
        asha.report(promoted, 0.5);
        asha.report(fresh, 0.1);
        // 4 results at rung 0: still ⌊4/3⌋ = 1 to promote, and config 1 already is; config 3 (0.1) is now the best, so it goes.
        Job next = asha.next().orElseThrow();
        assertEquals(3, next.config());
        assertEquals(1, next.rung());
    }

    @Test
    void schedulersNeedFarLessBudgetThanRandomSearchOnASyntheticLearningCurve() {
        for (String name : new String[] {"hyperband", "asha", "bohb"}) {
            double median = MultiFidelityBenchmark.median(MultiFidelityBenchmark.budgetFractions(name, 11, 50));
            System.out.printf("%s: median budget to reach random search's best of 50 = %.3f of random search's%n", name, median);
            assertTrue(median < 0.6, name + " needed " + median + " of random search's budget");
        }
    }
}
