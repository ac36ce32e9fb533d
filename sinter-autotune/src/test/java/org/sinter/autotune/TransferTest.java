package org.sinter.autotune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.measure.Measurer;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.model.CostModel;
import org.sinter.autotune.model.InvariantFeatures;
import org.sinter.autotune.model.LoopFeatures;
import org.sinter.autotune.model.Transfer;
import org.sinter.autotune.model.XgbCostModel;
import org.sinter.autotune.search.RandomExplorer;
import org.sinter.autotune.search.SearchState;
import org.sinter.autotune.search.SimulatedAnnealingExplorer;
import org.sinter.autotune.search.Tuner;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Expr.UnaryFn;
import org.sinter.autotune.te.Operators;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.autotune.te.Workloads;

class TransferTest {
    @Test
    void workloadKeysReadBackIntoTheirDeclarations() {
        var p = new ConvParams(2, 8, 9, 7, 16, 3, 1, 2, 1, 2, 4);
        for (ComputeDecl d : List.of(Operators.matmul(3, 4, 5), Operators.bmm(2, 3, 4, 5), Operators.dense(3, 4, 5, UnaryFn.RELU), Operators.conv2d(p),
                Operators.depthwiseConv2d(new ConvParams(1, 4, 6, 6, 4, 3, 3, 1, 1, 1, 4)), Operators.conv2dNCHWc(new ConvParams(1, 8, 5, 5, 8, 3, 3, 1, 1, 1, 1), 4, 2),
                Operators.rowRms(3, 8))) {
            ComputeDecl back = Workloads.parse(d.workload());
            assertEquals(d.workload(), back.workload());
            assertEquals(d.flops(), back.flops());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Workloads.parse("conv2d_nchw(1,2,3)"));
        assertTrue(e.getMessage().contains("conv2d_nchw(1,2,3)"), e.getMessage());
    }

    @Test
    void aModelFromOtherWorkloadsLogsGuidesTheFirstBatch(@TempDir Path dir) {
        TuningLog log = new TuningLog(dir.resolve("history.jsonl"));
        for (ConvParams p : List.of(new ConvParams(1, 8, 12, 12, 16, 3, 3, 1, 1, 1, 1), new ConvParams(1, 16, 8, 8, 32, 1, 1, 1, 0, 1, 1))) {
            ComputeDecl d = Operators.conv2d(p);
            try (Measurer m = new Measurer(d, Inputs.random(d, 1), Measurer.Options.defaults().quick())) {
                new Tuner(Templates.of(d), m::measure, log, new RandomExplorer(), null, 8, 1).tune(12, null);
            }
        }
        ComputeDecl target = Operators.conv2d(new ConvParams(1, 16, 10, 10, 16, 3, 3, 1, 1, 1, 1));
        CostModel base = Transfer.baseModel(log.read(), target.workload(), new Transfer.Options(XgbCostModel.Loss.RANK, 20, true, false), 1);
        assertTrue(base.trained(), "trained from the other workloads' 24 records");
        XgbCostModel model = new XgbCostModel(XgbCostModel.Loss.RANK, 20, base, 1);
        assertTrue(model.trained(), "usable before the target's first measurement");
        Template t = Templates.of(target);
        SearchState guided = new SearchState(t, 9);
        guided.setModel(model);
        List<Config> first = new SimulatedAnnealingExplorer(16, 10, 0.0, 0.0).next(8, guided);
        assertEquals(8, first.size());
        // Guided picks are scored by the model: none is a configuration the template rejects.
        for (Config c : first) assertTrue(guided.features(c) != null, c + " is invalid");
        List<Config> blind = new RandomExplorer().next(8, new SearchState(t, 9));
        assertFalse(first.equals(blind));
        // Records of the target itself are excluded from its base model.
        CostModel none = Transfer.baseModel(log.read().stream().filter(r -> r.workload().equals(target.workload())).toList(), target.workload(),
                Transfer.Options.defaults(), 1);
        assertFalse(none.trained());
    }

    /** A base model that scores every candidate 1 (only its weight in the new model matters here). */
    private static final CostModel ONES = new CostModel() {
        @Override public void fit(List<float[]> f, List<Double> l, List<Integer> g) {}
        @Override public double[] predict(List<float[]> f) { double[] o = new double[f.size()]; java.util.Arrays.fill(o, 1); return o; }
        @Override public boolean trained() { return true; }
    };

    @Test
    void theBaseMarginFadesWithTheWorkloadsOwnSamples() {
        Template t = Templates.of(Operators.dense(8, 32, 32, UnaryFn.IDENTITY));
        SearchState s = new SearchState(t, 1);
        List<float[]> feats = new java.util.ArrayList<>();
        List<Double> labels = new java.util.ArrayList<>();
        java.util.Random r = new java.util.Random(3);
        while (feats.size() < 24) {
            float[] f = s.features(t.space().random(r));
            if (f == null) continue;
            feats.add(f);
            labels.add((double) feats.size());
        }
        XgbCostModel fading = new XgbCostModel(XgbCostModel.Loss.RANK, 5, ONES, 1, 4);
        assertEquals(1.0, fading.baseWeight(), "full weight before the first measurement");
        assertEquals(1.0, fading.predict(feats.subList(0, 1))[0], 1e-12, "the base alone scores the first batch");
        fading.fit(feats.subList(0, 4), labels.subList(0, 4), List.of(0, 0, 0, 0));
        assertEquals(0.5, fading.baseWeight(), 1e-12, "halved after one half-life of samples");
        fading.fit(feats, labels, java.util.Collections.nCopies(24, 0));
        assertEquals(0.0, fading.baseWeight(), "2^-6 is under 5%: dropped");
        XgbCostModel lasting = new XgbCostModel(XgbCostModel.Loss.RANK, 5, ONES, 1);
        lasting.fit(feats, labels, java.util.Collections.nCopies(24, 0));
        assertEquals(1.0, lasting.baseWeight());
        assertEquals(0.0, new XgbCostModel(XgbCostModel.Loss.RANK, 5, null, 1, 4).baseWeight(), "no base, no weight");
        var e = assertThrows(IllegalArgumentException.class, () -> new XgbCostModel(XgbCostModel.Loss.RANK, 5, ONES, 1, 0));
        assertTrue(e.getMessage().contains("half-life"), e.getMessage());
    }

    @Test
    void sizeColumnsAreThoseThatChangeWithTheShapeForTheSameKnobs() {
        Template target = Templates.of(Operators.dense(32, 96, 96, UnaryFn.IDENTITY));
        boolean[] drop = InvariantFeatures.sizeColumns(target, List.of(Templates.of(Operators.dense(32, 192, 96, UnaryFn.IDENTITY))), 1);
        assertTrue(drop != null);
        assertTrue(drop[LoopFeatures.SIZE - 1], "the FLOPs differ");
        int dropped = 0;
        for (boolean d : drop) if (d) dropped++;
        assertTrue(dropped > 0 && dropped < LoopFeatures.SIZE / 2, dropped + " of " + LoopFeatures.SIZE + " columns dropped");
        float[] kept = InvariantFeatures.keep(new float[LoopFeatures.SIZE], drop);
        assertTrue(Float.isNaN(kept[LoopFeatures.SIZE - 1]) && kept[0] == 0 == !drop[0]);
        // Another template's knobs cannot be compared: nothing to decide from.
        assertEquals(null, InvariantFeatures.sizeColumns(target, List.of(Templates.of(Operators.matmul(32, 96, 96))), 1));
    }

    /**
     * A history written by hand (no timing): two other dense shapes whose fastest repeats follow
     * one rule (bigger register tiles are faster) and whose other repeats and medians are noise,
     * as on a busy machine. A base model on fastest repeats carries the rule to a third shape
     * before it is measured, over every column or over the schedule ones only; one on medians
     * does not.
     */
    @Test
    void aHistoryOfOtherShapesRanksANewShapesConfigurations() {
        java.util.Random r = new java.util.Random(5);
        List<TuningRecord> history = new java.util.ArrayList<>();
        for (ComputeDecl d : List.of(Operators.dense(32, 192, 96, UnaryFn.IDENTITY), Operators.dense(32, 96, 192, UnaryFn.IDENTITY))) {
            Template t = Templates.of(d);
            for (int i = 0; i < 60; i++) {
                Config c = t.space().random(r);
                double fastest = 1e-3 / (1 + c.get("tile_i") * c.get("tile_j"));
                List<Double> costs = List.of(fastest, fastest * (2 + 8 * r.nextDouble()), fastest * (2 + 8 * r.nextDouble()));
                double noisyMedian = d.flops() / (1e-3 * (0.05 + r.nextDouble())) / 1e9;
                history.add(new TuningRecord(d.workload(), t.name(), c.values(), costs, null, 0, noisyMedian, 0, "random", null));
            }
        }
        ComputeDecl target = Operators.dense(32, 96, 96, UnaryFn.IDENTITY);
        Template t = Templates.of(target);
        SearchState s = new SearchState(t, 2);
        List<float[]> feats = new java.util.ArrayList<>();
        List<Double> truth = new java.util.ArrayList<>();
        for (long i = 0; i < t.space().size(); i++) {
            Config c = t.space().get(i);
            if (s.features(c) == null) continue;
            feats.add(s.features(c));
            truth.add((double) c.get("tile_i") * c.get("tile_j"));
        }
        double[] want = truth.stream().mapToDouble(Double::doubleValue).toArray();
        for (boolean invariant : new boolean[] {false, true}) {
            CostModel base = Transfer.baseModel(history, target.workload(), new Transfer.Options(XgbCostModel.Loss.RANK, 30, true, invariant), 1);
            double rho = org.sinter.autotune.bench.TransferStudy.spearman(base.predict(feats), want);
            assertTrue(rho > 0.8, "invariant " + invariant + ": Spearman " + rho);
        }
        CostModel onMedians = Transfer.baseModel(history, target.workload(), new Transfer.Options(XgbCostModel.Loss.RANK, 30, false, false), 1);
        double noise = org.sinter.autotune.bench.TransferStudy.spearman(onMedians.predict(feats), want);
        assertTrue(noise < 0.5, "the medians carry no rule here, yet Spearman " + noise);
        // Trained together with the history, the new workload's own measurements overrule it when weighted enough:
        // here they say the opposite (smaller register tiles faster).
        CostModel joint = Transfer.jointModel(history, target.workload(), Transfer.Options.defaults(), 50, 1);
        assertTrue(org.sinter.autotune.bench.TransferStudy.spearman(joint.predict(feats), want) > 0.8, "the history's model before any measurement");
        List<Double> opposite = truth.stream().map(x -> 1 / x).toList();
        joint.fit(feats, opposite, java.util.Collections.nCopies(feats.size(), 0));
        double after = org.sinter.autotune.bench.TransferStudy.spearman(joint.predict(feats), want);
        assertTrue(after < 0, "the new workload's data, weighted 50, decides: Spearman against the history's rule " + after);
        var bad = assertThrows(IllegalArgumentException.class, () -> Transfer.jointModel(history, target.workload(), Transfer.Options.defaults(), 0, 1));
        assertTrue(bad.getMessage().contains("weight"), bad.getMessage());
        var groups = assertThrows(IllegalArgumentException.class,
                () -> new XgbCostModel(XgbCostModel.Loss.RANK, 5, null, 1).fit(feats, opposite, java.util.Collections.nCopies(feats.size(), 0), new double[] {1, 2}));
        assertTrue(groups.getMessage().contains("2 group weights for 1 groups"), groups.getMessage());
        XgbCostModel model = Transfer.model(history, target.workload(), 1);
        assertTrue(model.trained() && model.baseWeight() == 1.0, "guided before the first measurement, by the whole base");
        assertTrue(!Transfer.model(List.of(), target.workload(), 1).trained(), "no history, nothing to start from");
    }

    @Test
    void spearmanAndTheStudysRankingMetrics() {
        assertEquals(1.0, org.sinter.autotune.bench.TransferStudy.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40}), 1e-12);
        assertEquals(-1.0, org.sinter.autotune.bench.TransferStudy.spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}), 1e-12);
        // Ties share their mean rank: (1.5, 1.5, 3) against (1, 2, 3).
        assertEquals(Math.sqrt(3) / 2, org.sinter.autotune.bench.TransferStudy.spearman(new double[] {5, 5, 9}, new double[] {1, 2, 3}), 1e-12);
        double[] truth = {10, 9.6, 5, 1};
        double[] q = org.sinter.autotune.bench.TransferStudy.metrics(new double[] {0, 1, 3, 2}, truth, 10);
        assertEquals(1.0, q[1], "both configurations within 95% of the best are in the top 64");
        assertEquals(0.5, q[2], 1e-12, "the predicted best measures 5 of 10");
        assertEquals(1.0, q[3], 1e-12, "the best is in the predicted top 8");
    }
}
