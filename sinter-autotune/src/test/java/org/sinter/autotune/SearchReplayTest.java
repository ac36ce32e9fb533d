package org.sinter.autotune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sinter.autotune.bench.SearchReplay;
import org.sinter.autotune.bench.SearchReplay.Strategy;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.measure.MeasureResult;
import org.sinter.autotune.search.RandomExplorer;
import org.sinter.autotune.search.SearchState;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.Operators;

/** Replays over a measured table (here a synthetic one: no timing) and the restriction of a search to a sample of the space. */
class SearchReplayTest {
    private static final Template T = Templates.of(Operators.matmul(16, 48, 48));

    /** A uniform sample of {@code n} configurations, each with a made-up cost that rewards wide vectors and big register tiles. */
    private static Map<Config, MeasureResult> sample(int n, long seed) {
        Random r = new Random(seed);
        Map<Config, MeasureResult> table = new HashMap<>();
        while (table.size() < n) {
            Config c = T.space().random(r);
            try {
                T.apply(c);
            } catch (IllegalArgumentException invalid) {
                table.put(c, MeasureResult.error(invalid.getMessage(), 0));
                continue;
            }
            double speed = c.get("lanes") * c.get("tile_i") * c.get("tile_j") * (1 + Math.log(c.get("tile_k"))) + c.index() % 7;
            table.put(c, new MeasureResult(List.of(1e-3 / speed), null, 0));
        }
        return table;
    }

    @Test
    void aRestrictedSearchProposesOnlyTheSampleAndThenRunsOut() {
        Map<Config, MeasureResult> table = sample(50, 3);
        SearchState state = new SearchState(T, 7);
        state.restrictTo(table.keySet());
        assertEquals(50, state.remaining());
        Set<Config> seen = new HashSet<>();
        List<Config> batch;
        while (!(batch = new RandomExplorer().next(8, state)).isEmpty()) {
            for (Config c : batch) {
                assertTrue(table.containsKey(c), c + " is outside the sample");
                assertTrue(seen.add(c), c + " proposed twice");
                state.record(c, 1);
            }
        }
        assertEquals(50, seen.size());
        assertEquals(0, state.remaining());
    }

    @Test
    void everyStrategyStaysInTheTableAndFindsItsBest() {
        SearchReplay replay = new SearchReplay(T, sample(300, 5));
        double best = replay.best();
        for (Strategy s : List.of(Strategy.RANDOM, Strategy.GRID, Strategy.SA_RANK, Strategy.SA_REGRESSION, Strategy.EVOLUTIONARY_RANK)) {
            // The replay's measure throws for a configuration outside the table, so finishing proves the restriction.
            List<Double> curve = replay.run(s, 11, 1000, 0, best, null);
            int at = SearchReplay.trialsToReach(curve, best);
            assertTrue(at > 0 && curve.size() - at < 8, s.label + " reaches the best (trial " + at + ") and stops within that batch (" + curve.size() + ")");
            for (int i = 1; i < curve.size(); i++) assertTrue(curve.get(i) >= curve.get(i - 1), s.label + ": the best-so-far curve never falls");
        }
        assertEquals(300, replay.run(Strategy.RANDOM, 1, 1000, 1000, Double.POSITIVE_INFINITY, null).size(), "a budget over the table ends with the table");
        assertEquals(40, replay.run(Strategy.RANDOM, 1, 40, 40, Double.POSITIVE_INFINITY, null).size());
    }

    @Test
    void theModelGuidedSearchBeatsRandomOnALearnableTable() {
        SearchReplay replay = new SearchReplay(T, sample(600, 9));
        double best = replay.best();
        int random = 0, guided = 0;
        for (long seed = 0; seed < 3; seed++) {
            random += SearchReplay.trialsToReach(replay.run(Strategy.RANDOM, seed, 1000, 0, best, null), best);
            guided += SearchReplay.trialsToReach(replay.run(Strategy.SA_RANK, seed, 1000, 0, best, null), best);
        }
        assertTrue(guided < random, "model-guided " + guided + " trials vs random " + random + " (3 seeds)");
    }

    @Test
    void aLogBecomesATableOfFastestRepeatsAndBadUseIsNamed() {
        Config ok = null, bad = null;
        for (long i = 0; ok == null || bad == null; i++) {
            Config c = T.space().get(i);
            try {
                T.apply(c);
                if (ok == null) ok = c;
            } catch (IllegalArgumentException e) {
                if (bad == null) bad = c;
            }
        }
        String w = T.decl().workload();
        List<TuningRecord> records = new ArrayList<>(List.of(
                new TuningRecord(w, T.name(), ok.values(), List.of(3e-3, 1e-3, 2e-3), null, 0, 0, 0, "random", TuningLog.VERSIONS),
                new TuningRecord(w, T.name(), bad.values(), List.of(), "invalid configuration: x", 0, 0, 0, "random", TuningLog.VERSIONS),
                new TuningRecord("matmul(8,8,8)", T.name(), ok.values(), List.of(1e-9), null, 0, 0, 0, "random", TuningLog.VERSIONS)));
        SearchReplay replay = SearchReplay.fromLog(T, records);
        assertEquals(2, replay.size());
        assertEquals(1, replay.valid());
        assertEquals(1, replay.countAtLeast(replay.best()));
        assertEquals(T.decl().flops() / 1e-3 / 1e9, replay.best(), 1e-9);
        var e = assertThrows(IllegalArgumentException.class, () -> replay.run(Strategy.SA_RANK_TRANSFER, 1, 10, 0, 1, null));
        assertTrue(e.getMessage().contains("base model"), e.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> SearchReplay.fromLog(T, records.subList(2, 3)));
        assertTrue(empty.getMessage().contains(w), empty.getMessage());
    }
}
