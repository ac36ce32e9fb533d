package org.sinter.autotune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.measure.MeasureResult;
import org.sinter.autotune.measure.Measurer;
import org.sinter.autotune.model.XgbCostModel;
import org.sinter.autotune.search.EvolutionaryExplorer;
import org.sinter.autotune.search.Explorer;
import org.sinter.autotune.search.GridExplorer;
import org.sinter.autotune.search.RandomExplorer;
import org.sinter.autotune.search.SimulatedAnnealingExplorer;
import org.sinter.autotune.search.Tuner;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Expr.UnaryFn;
import org.sinter.autotune.te.Operators;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.compiler.codegen.KernelCompiler;

class TunerTest {
    private static final Measurer.Options QUICK = Measurer.Options.defaults().quick();

    @Test
    void everyTemplateBuildsCorrectKernelsForRandomConfigurations() {
        List<ComputeDecl> decls = List.of(
                Operators.conv2d(new ConvParams(1, 8, 10, 10, 16, 3, 3, 2, 1, 1, 1)),
                Operators.conv2d(new ConvParams(2, 8, 6, 6, 16, 1, 1, 1, 0, 1, 2)),
                Operators.depthwiseConv2d(new ConvParams(1, 4, 8, 8, 4, 3, 3, 1, 1, 1, 4)),
                Operators.matmul(12, 32, 24),
                Operators.bmm(2, 4, 16, 8),
                Operators.dense(6, 16, 12, UnaryFn.TANH),
                Operators.rowRms(6, 32));
        for (ComputeDecl d : decls) {
            Template t = Templates.of(d);
            int ok = 0;
            try (Measurer m = new Measurer(d, Inputs.random(d, 3), QUICK)) {
                Random r = new Random(5);
                for (int i = 0; i < 4; i++) {
                    MeasureResult res = m.measure(t, t.space().random(r));
                    if (res.ok()) ok++;
                    else assertTrue(res.error().startsWith("invalid configuration"), d.workload() + ": " + res.error());
                }
            }
            assertTrue(ok > 0, d.workload() + ": no valid configuration among 4 random ones");
        }
    }

    @Test
    void measurementRecordsWrongResultsAndTimeoutsAsErrors() {
        ComputeDecl d = Operators.matmul(16, 16, 16);
        Template t = Templates.of(d);
        Config c = firstValid(t);
        var strict = new Measurer.Options(60, 10, 1, 0, 1, 0.001, -1); // no result passes a negative tolerance
        try (Measurer m = new Measurer(d, Inputs.random(d, 1), strict)) {
            MeasureResult r = m.measure(t, c);
            assertFalse(r.ok());
            assertTrue(r.error().contains("wrong result"), r.error());
        }
        // Warm-up lasts at least 30 s, so a 0.2 s run timeout always fires (no race with a fast run).
        var hasty = new Measurer.Options(60, 0.2, 1, 30, 1, 0.001, 1e-4);
        try (Measurer m = new Measurer(d, Inputs.random(d, 1), hasty)) {
            MeasureResult r = m.measure(t, c);
            assertTrue(r.error().contains("timed out"), r.error());
            // The tuning goes on: the next candidate is measured on a fresh worker.
            assertFalse(m.measure(t, c).ok());
        }
    }

    private static Config firstValid(Template t) {
        for (long i = 0; i < t.space().size(); i++) {
            try {
                t.apply(t.space().get(i));
                return t.space().get(i);
            } catch (IllegalArgumentException e) {
                // try the next
            }
        }
        throw new AssertionError("no valid configuration in " + t.name());
    }

    @Test
    void aBatchIsCompiledInOneRunAndEachCandidateFindsItsKernelLoaded() {
        ComputeDecl d = Operators.matmul(24, 40, 16); // a shape no other test compiles
        Template t = Templates.of(d);
        List<Config> batch = new ArrayList<>();
        for (long i = 0; i < t.space().size() && batch.size() < 5; i++) batch.add(t.space().get(i));
        try (Measurer m = new Measurer(d, Inputs.random(d, 3), QUICK)) {
            m.prebuild(t, batch);
            KernelCompiler.Stats before = KernelCompiler.stats();
            for (Config c : batch) {
                MeasureResult r = m.measure(t, c);
                if (r.ok()) assertTrue(r.buildSeconds() > 0, "each candidate is charged its share of the batch's javac run");
            }
            KernelCompiler.Stats after = KernelCompiler.stats();
            assertEquals(before.compiled(), after.compiled(), "nothing compiled again after the batch");
            assertEquals(before.fromDisk(), after.fromDisk(), "nothing read from disk after the batch");
        }
    }

    @Test
    void tuningLogsEveryTrialResumesAndPicksTheBest(@TempDir Path dir) throws Exception {
        ComputeDecl d = Operators.matmul(32, 32, 32);
        Template t = Templates.of(d);
        Path file = dir.resolve("tune.jsonl");
        TuningLog log = new TuningLog(file);
        try (Measurer m = new Measurer(d, Inputs.random(d, 2), QUICK)) {
            Tuner.Result first = new Tuner(t, Tuner.of(m), log, new RandomExplorer(), null, 4, 1).tune(6, null);
            assertEquals(6, first.trials());
            assertEquals(6, log.read().size());
            int[] measuredAgain = {0};
            Tuner.Result second = new Tuner(t, (tt, c) -> {
                measuredAgain[0]++;
                return m.measure(tt, c);
            }, log, new RandomExplorer(), null, 4, 2).tune(10, null);
            assertEquals(10, second.trials());
            assertEquals(4, measuredAgain[0], "resumed trials are not measured again");
            List<TuningRecord> all = log.read();
            assertEquals(10, all.size());
            Set<java.util.Map<String, Integer>> distinct = new HashSet<>();
            for (TuningRecord r : all) distinct.add(r.config());
            assertEquals(10, distinct.size());
            TuningRecord best = log.best(d.workload()).orElseThrow();
            assertTrue(second.bestGflops() >= best.gflops() - 1e-9);
            for (TuningRecord r : all) if (r.ok()) assertTrue(TuningLog.median(r) >= TuningLog.median(best));
            Path picked = dir.resolve("best.jsonl");
            log.pickBest(picked);
            assertEquals(1, TuningLog.read(picked).size());
        }
    }

    @Test
    void tornLastLineIsSkippedOtherBadLinesNameTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("log.jsonl");
        TuningLog log = new TuningLog(file);
        log.append(new TuningRecord("w", "t", java.util.Map.of("a", 1), List.of(1e-3), null, 0.1, 2.0, 1, "random", TuningLog.VERSIONS));
        Files.writeString(file, Files.readString(file) + "{\"workload\": \"w\", \"temp", StandardCharsets.UTF_8);
        assertEquals(1, log.read().size());
        Files.writeString(file, "not json\n" + Files.readString(file), StandardCharsets.UTF_8);
        var e = assertThrows(IllegalArgumentException.class, log::read);
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void modelGuidedExplorersProposeFreshValidConfigurations() {
        ComputeDecl d = Operators.conv2d(new ConvParams(1, 8, 8, 8, 16, 3, 3, 1, 1, 1, 1));
        Template t = Templates.of(d);
        for (Explorer e : List.of(new SimulatedAnnealingExplorer(16, 10, 0.1, 0.5), new EvolutionaryExplorer(32, 2, 0.8, 0.1, 0.5), new GridExplorer())) {
            for (XgbCostModel.Loss loss : XgbCostModel.Loss.values()) {
                try (Measurer m = new Measurer(d, Inputs.random(d, 4), QUICK)) {
                    var model = new XgbCostModel(loss, 10, null, 1);
                    Tuner tuner = new Tuner(t, m::measure, null, e, model, 4, 3);
                    Tuner.Result r = tuner.tune(12, null);
                    assertEquals(12, r.trials(), e.name());
                    assertNotNull(r.best(), e.name());
                    assertTrue(model.trained());
                    assertEquals(12, tuner.state().visitedCount(), e.name() + ": every trial a new configuration");
                }
            }
        }
    }
}
