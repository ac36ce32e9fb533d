package org.sinter.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.automl.space.SearchSpace;
import org.sinter.learned.bench.LookupBenchmark;
import org.sinter.learned.bench.LookupResult;
import org.sinter.learned.bench.MixBenchmark;
import org.sinter.learned.bench.Sizes;
import org.sinter.learned.bench.Structures;
import org.sinter.learned.data.KeySets;
import org.sinter.learned.index.update.UpdatableLongIndex;
import org.sinter.learned.tuning.KnobTuner;
import org.sinter.learned.tuning.TuningResult;
import org.sinter.learned.tuning.UpdatableIndexKnobs;

/** The tuner finds a known optimum; the benchmarks' bookkeeping (not their timings) is checked. */
class TuningAndBenchTest {
    @TempDir
    Path dir;

    @Test
    void tpeFindsABetterSettingAndItIsReMeasured() throws Exception {
        SearchSpace space = SearchSpace.builder().uniform("x", -10, 10).choice("mode", "slow", "fast").build();
        int[] calls = {0};
        KnobTuner tuner = new KnobTuner(space, k -> {
            calls[0]++;
            double x = ((Number) k.get("x")).doubleValue();
            return 200 - (x - 3) * (x - 3) + ("fast".equals(k.get("mode")) ? 20 : 0);
        });
        Map<String, Object> defaults = new HashMap<>(Map.of("x", -8.0, "mode", "slow"));
        TuningResult r = tuner.tune(defaults, 25, 3, 7, dir.resolve("j.jsonl"), null);
        assertEquals(1 + 25 + 2 * 3, calls[0], "a warm-up, 25 trials, then 3 rounds of defaults and best");
        assertEquals(79, r.defaultMedian(), 1e-9);
        assertTrue(r.bestMedian() > 190, "best " + r.best() + " scored " + r.bestMedian()); // optimum 220, defaults 79
        assertTrue(r.gain() > 1.4, "gain " + r.gain());
        assertThrows(IllegalArgumentException.class, () -> tuner.tune(Map.of("x", 0.0), 2, 1, 1, dir.resolve("k.jsonl"), null));
    }

    @Test
    void everyKnobSettingBuildsAWorkingIndex() {
        long[] keys = KeySets.load("normal", 10_000, 3);
        for (String model : List.of("pgm", "rmi")) {
            Map<String, Object> k = new HashMap<>(UpdatableIndexKnobs.defaults());
            k.put("model", model);
            UpdatableLongIndex index = UpdatableIndexKnobs.builder(k).apply(keys);
            index.insert(12345);
            assertTrue(index.contains(12345) && index.contains(keys[77]), model);
        }
        Map<String, Object> bad = new HashMap<>(UpdatableIndexKnobs.defaults());
        bad.put("model", "lsm");
        assertThrows(IllegalArgumentException.class, () -> UpdatableIndexKnobs.builder(bad));
    }

    @Test
    void lookupBenchmarkChecksAgreementAndReportsEveryStructure() {
        long[] keys = KeySets.load("lognormal", 50_000, 1);
        List<LookupResult> rows = new LookupBenchmark(keys, 10_000, 1_000, 1, 2).run(Structures.parse("binary,btree,rmi:linear:128,pgm:16"), null);
        assertEquals(4, rows.size());
        for (LookupResult r : rows) {
            assertEquals(rows.get(0).checksum(), r.checksum(), r.name());
            assertTrue(r.meanNanos() > 0 && r.p99Nanos() >= r.medianNanos(), r.name());
            assertEquals(LookupResult.QUANTILES.length, r.latencyNanos().length);
        }
        assertEquals(0, rows.get(0).indexBytes());
    }

    @Test
    void mixBenchmarkReplaysTheSameStreamOnEachStructure() {
        long[] initial = KeySets.load("sparse", 20_000, 1);
        long[] inserts = MixBenchmark.shuffled(KeySets.load("sparse", 5_000, 2), 3);
        List<MixBenchmark.Result> rows = new MixBenchmark(initial, inserts, 4).run(org.sinter.learned.bench.MixBench.structures(0.05), null);
        assertEquals(3, rows.size());
        for (MixBenchmark.Result r : rows) assertEquals(10_000, r.operations(), r.name());
        assertTrue(rows.get(1).notes().contains("merges"), rows.get(1).notes());
    }

    @Test
    void sizesParseLikeACommandLine() {
        assertEquals(100_000_000L, Sizes.parse("100M"));
        assertEquals(2_000, Sizes.parse("2k"));
        assertEquals(1_500_000_000L, Sizes.parse("1.5G"));
        assertEquals(250_000, Sizes.parse("250_000"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("1.5"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-3"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Structures.parse("rmi:linear"));
        assertTrue(e.getMessage().contains("rmi:linear"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Structures.parse("btree:1"));
        assertThrows(IllegalArgumentException.class, () -> Structures.parse(" , "));
        assertEquals(Structures.DEFAULT.replace("treemap,", ""), Structures.defaultFor(100_000_000));
    }
}
