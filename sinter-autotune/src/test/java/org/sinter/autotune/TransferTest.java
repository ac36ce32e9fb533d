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
        XgbCostModel base = Transfer.baseModel(log.read(), target.workload(), 20, 1);
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
        XgbCostModel none = Transfer.baseModel(log.read().stream().filter(r -> r.workload().equals(target.workload())).toList(), target.workload(), 5, 1);
        assertFalse(none.trained());
    }
}
