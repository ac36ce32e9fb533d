package org.sinter.autotune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.autotune.apply.ApplyHistoryBest;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.measure.BuiltinBaseline;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Operators;
import org.sinter.autotune.te.Operators.ConvParams;

/**
 * The side-by-side timing of a tuned kernel and the built-in: its records round-trip through the
 * log, are not trials, survive pick-best, and decide what {@link ApplyHistoryBest} applies while
 * they are newer than the workload's trials.
 */
class SideBySideTest {
    private static final ConvParams P = new ConvParams(1, 8, 10, 10, 16, 3, 3, 1, 1, 1, 1);
    private static final ComputeDecl D = Operators.conv2d(P);

    private static TuningRecord trial(Config c, double seconds, double time) {
        return new TuningRecord(D.workload(), Templates.of(D).name(), c.values(), List.of(seconds), null, 0, D.flops() / seconds / 1e9, time, "sa",
                TuningLog.VERSIONS);
    }

    private static TuningRecord pairHalf(String template, Map<String, Integer> config, double seconds, double time) {
        return new TuningRecord(D.workload(), template, config, List.of(seconds, seconds), null, 0, D.flops() / seconds / 1e9, time,
                TuningRecord.SIDE_BY_SIDE, TuningLog.VERSIONS);
    }

    @Test
    void thePairDecidesWhileItIsNewerThanEveryTrial(@TempDir Path dir) {
        Template t = Templates.of(D);
        Config fast = t.space().get(0), other = t.space().get(1);
        TuningLog log = new TuningLog(dir.resolve("tune.jsonl"));
        log.append(trial(fast, 1e-3, 10));
        log.append(trial(other, 2e-3, 11));
        // The baseline says the built-in is slower than the best trial: without a pair, the best trial is applied.
        log.append(new TuningRecord(D.workload(), TuningRecord.BUILTIN, Map.of(), List.of(3e-3), null, 0, 1, 12, "baseline", TuningLog.VERSIONS));
        assertEquals(fast.values(), ApplyHistoryBest.load(log.file()).applied(D.workload()).config());
        // Side by side, the second trial's configuration beat the first and the built-in: it is applied, not the best trial.
        log.append(pairHalf(t.name(), other.values(), 1.5e-3, 13));
        log.append(pairHalf(TuningRecord.BUILTIN, Map.of(), 1.6e-3, 13));
        List<TuningRecord> back = log.read();
        assertEquals(5, back.size());
        TuningLog.SideBySide pair = TuningLog.sideBySide(back).get(D.workload());
        assertEquals(other.values(), pair.tuned().config());
        assertTrue(pair.builtin().builtin() && pair.tunedFaster());
        assertEquals(fast.values(), TuningLog.best(back).get(D.workload()).config(), "side-by-side records are not trials");
        assertEquals(3e-3, TuningLog.median(TuningLog.builtin(back).get(D.workload())), "nor baselines");
        assertEquals(other.values(), ApplyHistoryBest.load(log.file()).applied(D.workload()).config());
        // A later pair in which the built-in wins keeps the built-in.
        log.append(pairHalf(t.name(), fast.values(), 1.2e-3, 14));
        log.append(pairHalf(TuningRecord.BUILTIN, Map.of(), 1.0e-3, 14));
        assertNull(ApplyHistoryBest.load(log.file()).applied(D.workload()));
        // pick best keeps the latest pair.
        Path picked = dir.resolve("best.jsonl");
        log.pickBest(picked);
        assertNull(ApplyHistoryBest.load(picked).applied(D.workload()));
        // A trial newer than the pair: the pair did not see it, so the best trial against the baseline decides again.
        log.append(trial(t.space().get(2), 0.5e-3, 15));
        assertEquals(t.space().get(2).values(), ApplyHistoryBest.load(log.file()).applied(D.workload()).config());
    }

    @Test
    void sideBySideTimesTheFinalistsAndLogsThePairOfTheBest(@TempDir Path dir) {
        Template t = Templates.of(D);
        TuningLog log = new TuningLog(dir.resolve("tune.jsonl"));
        // One valid configuration, logged as a trial twice (the finalists are distinct configurations).
        Config c = t.space().of(Map.of("lanes", 8, "tile_k", 1, "tile_ow", 5, "tile_oh", 2, "reduce_order", 0, "unroll_s", 0, "outer_order", 0));
        log.append(trial(c, 1e-3, 1));
        log.append(trial(c, 2e-3, 2));
        List<float[]> in = Inputs.random(D, 5);
        TuningLog.SideBySide pair = BuiltinBaseline.sideBySide(log, D, P, log.read(), in).orElseThrow();
        List<TuningRecord> back = log.read();
        assertEquals(4, back.size());
        assertEquals(pair.tuned(), back.get(2));
        assertEquals(pair.builtin(), back.get(3));
        assertEquals(c.values(), pair.tuned().config());
        assertTrue(pair.tuned().sideBySide() && !pair.tuned().trial() && pair.tuned().costs().size() == 15 && pair.tuned().gflops() > 0);
        assertTrue(pair.builtin().builtin() && pair.builtin().sideBySide() && pair.builtin().costs().size() == 15);
        assertTrue(BuiltinBaseline.sideBySide(new TuningLog(dir.resolve("empty.jsonl")), D, P, List.of(), in).isEmpty());
    }
}
