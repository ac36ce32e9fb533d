package org.sinter.autotune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.autotune.apply.ApplyHistoryBest;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.measure.BuiltinBaseline;
import org.sinter.autotune.measure.Measurer;
import org.sinter.autotune.search.RandomExplorer;
import org.sinter.autotune.search.Tuner;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Operators;
import org.sinter.autotune.te.Operators.ConvParams;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.codegen.Program;
import org.sinter.compiler.codegen.TunedKernels;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.passes.PassManager;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.Sigmoid;
import org.sinter.ops.TensorSpec;

/** The compiler runs the best logged kernel of each tuned convolution and the built-in one elsewhere, with eager's results. */
class ApplyHistoryBestTest {
    @Test
    void compiledModelUsesTunedConvolutionsWhereLogged(@TempDir Path dir) {
        Sinter.manualSeed(3);
        // conv1 (bias, ReLU fused after it) and conv2 (no bias) get logs; conv3 has none.
        Module model = new Sequential(new Conv2d(8, 16, 3, 1, 1), new ReLU(),
                new Conv2d(16, 16, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, 1, false, "zeros"), new Sigmoid(),
                new Conv2d(16, 8, 1, 1, 0));
        model.eval();
        TuningLog log = new TuningLog(dir.resolve("tune.jsonl"));
        for (ConvParams p : List.of(new ConvParams(2, 8, 10, 10, 16, 3, 3, 1, 1, 1, 1), new ConvParams(2, 16, 10, 10, 16, 3, 3, 2, 1, 1, 1))) {
            ComputeDecl d = Operators.conv2d(p);
            try (Measurer m = new Measurer(d, Inputs.random(d, 1), Measurer.Options.defaults().quick())) {
                new Tuner(Templates.of(d), m::measure, log, new RandomExplorer(), null, 4, 1).tune(4, null);
            }
        }
        ApplyHistoryBest best = ApplyHistoryBest.load(log.file());
        assertEquals(2, best.best().size(), best.best().keySet().toString());
        Tensor x = Tensor.randn(2, 8, 10, 10);
        Graph traced = Tracer.trace(in -> new Tensor[] {model.forward(in[0])}, List.of(new TensorSpec(x.shape(), DType.FLOAT32)),
                new LinkedHashMap<>(model.namedParameters()));
        Graph g = PassManager.frozenInference().run(traced).graph();
        List<String> used = new ArrayList<>();
        TunedKernels counting = (geom, batch, w, off) -> {
            var k = best.conv2d(geom, batch, w, off);
            used.add(geom.c() + "->" + geom.k() + (k == null ? " built-in" : " tuned"));
            return k;
        };
        Program p;
        try (var _ = TunedKernels.use(counting)) {
            p = Program.compile(g);
        }
        assertEquals(List.of("8->16 tuned", "16->16 tuned", "16->8 built-in"), used);
        try (var _ = Sinter.noGrad()) {
            float[] eager = model.forward(x).toFloatArray(), compiled = p.run(x)[0].toFloatArray();
            assertEquals(eager.length, compiled.length);
            for (int i = 0; i < eager.length; i++) assertEquals(eager[i], compiled[i], 1e-4 * (1 + Math.abs(eager[i])), "element " + i);
        }
        // Outside the scope the compiler is back to its built-in kernels.
        assertEquals(TunedKernels.NONE, TunedKernels.current());
    }

    @Test
    void compiledModelUsesTunedLinearProductsWhereLogged(@TempDir Path dir) {
        Sinter.manualSeed(5);
        // fc1 (bias, ReLU fused after it) gets a log; fc2 has none.
        Module model = new Sequential(new Linear(24, 32), new ReLU(), new Linear(32, 10));
        model.eval();
        TuningLog log = new TuningLog(dir.resolve("tune.jsonl"));
        // Frozen for inference, a linear layer's weight is folded into a constant k x n operand: a matmul.
        ComputeDecl d = ApplyHistoryBest.declFor(6, 32, 24, false);
        assertEquals("matmul(6,32,24)", d.workload());
        try (Measurer m = new Measurer(d, Inputs.random(d, 1), Measurer.Options.defaults().quick())) {
            new Tuner(Templates.of(d), Tuner.of(m), log, new RandomExplorer(), null, 4, 1).tune(4, null);
        }
        ApplyHistoryBest best = ApplyHistoryBest.load(log.file());
        assertEquals(List.of(d.workload()), List.copyOf(best.best().keySet()), log.read().toString());
        Tensor x = Tensor.randn(6, 24);
        Graph traced = Tracer.trace(in -> new Tensor[] {model.forward(in[0])}, List.of(new TensorSpec(x.shape(), DType.FLOAT32)),
                new LinkedHashMap<>(model.namedParameters()));
        Graph g = PassManager.frozenInference().run(traced).graph();
        List<String> used = new ArrayList<>();
        TunedKernels counting = new TunedKernels() {
            @Override
            public TunedConv conv2d(org.sinter.kernels.conv.ConvGeometry geom, int batch, float[] w, int off) {
                return best.conv2d(geom, batch, w, off);
            }

            @Override
            public TunedMatmul matmul(int m, int n, int k, boolean transB, float[] b, int bOff, int ldb) {
                TunedMatmul t = best.matmul(m, n, k, transB, b, bOff, ldb);
                used.add(m + "x" + k + "->" + n + (transB ? "T" : "") + (t == null ? " built-in" : " tuned"));
                return t;
            }
        };
        Program p;
        try (var _ = TunedKernels.use(counting)) {
            p = Program.compile(g);
        }
        assertEquals(List.of("6x24->32 tuned", "6x32->10 built-in"), used);
        try (var _ = Sinter.noGrad()) {
            float[] eager = model.forward(x).toFloatArray(), compiled = p.run(x)[0].toFloatArray();
            assertEquals(eager.length, compiled.length);
            for (int i = 0; i < eager.length; i++) assertEquals(eager[i], compiled[i], 1e-4 * (1 + Math.abs(eager[i])), "element " + i);
        }
    }

    @Test
    void aTransposedWeightTakesTheTunedDenseKernel(@TempDir Path dir) {
        int m = 4, n = 16, k = 8;
        ComputeDecl d = ApplyHistoryBest.declFor(m, n, k, true);
        assertEquals("dense(4,16,8,identity)", d.workload());
        TuningLog log = new TuningLog(dir.resolve("tune.jsonl"));
        try (Measurer meter = new Measurer(d, Inputs.random(d, 2), Measurer.Options.defaults().quick())) {
            new Tuner(Templates.of(d), Tuner.of(meter), log, new RandomExplorer(), null, 8, 1).tune(16, null);
        }
        ApplyHistoryBest best = ApplyHistoryBest.load(log.file());
        assertEquals(List.of(d.workload()), List.copyOf(best.best().keySet()), log.read().toString());
        // W stored n x k with a row stride of k + 3 from offset 5, as a view into a larger array.
        java.util.Random r = new java.util.Random(7);
        float[] w = new float[5 + n * (k + 3)], a = new float[2 + m * k], c = new float[m * n];
        for (int i = 0; i < w.length; i++) w[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        TunedKernels.TunedMatmul t = best.matmul(m, n, k, true, w, 5, k + 3);
        assertNotNull(t);
        t.run(a, 2, c, 0);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double want = 0;
                for (int p = 0; p < k; p++) want += (double) a[2 + i * k + p] * w[5 + j * (k + 3) + p];
                assertEquals(want, c[i * n + j], 1e-5, "C[" + i + "][" + j + "]");
            }
        assertNull(best.matmul(m, n, k, false, w, 5, k + 3), "no log for the untransposed product");
    }

    @Test
    void convolutionsTheDeclarationsDoNotCoverFallBack() {
        var asymmetric = new org.sinter.kernels.conv.ConvGeometry(4, 8, 8, 8, 8, 4, 3, 3, 1, 2, 1, 1, 1, 1, 1);
        assertNull(ApplyHistoryBest.declFor(asymmetric, 1));
        var depthwise = new org.sinter.kernels.conv.ConvGeometry(4, 8, 8, 4, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 4);
        assertNotNull(ApplyHistoryBest.declFor(depthwise, 1));
        assertEquals("depthwise_conv2d", ApplyHistoryBest.declFor(depthwise, 1).op());
    }

    @Test
    void theBuiltinKernelStaysWhereItsBaselineIsAsFast(@TempDir Path dir) {
        ConvParams p = new ConvParams(1, 8, 10, 10, 16, 3, 3, 1, 1, 1, 1);
        ComputeDecl d = Operators.conv2d(p);
        List<float[]> in = Inputs.random(d, 4);
        TuningLog log = new TuningLog(dir.resolve("tune.jsonl"));
        TuningRecord base;
        try (Measurer m = new Measurer(d, in, Measurer.Options.defaults().quick())) {
            new Tuner(Templates.of(d), m::measure, log, new RandomExplorer(), null, 4, 1).tune(4, null);
            // The compiled built-in convolution, checked against the reference and timed like a candidate.
            base = BuiltinBaseline.measureAndLog(log, d, p, m, in);
        }
        assertTrue(base.ok() && base.builtin() && base.gflops() > 0, base.toString());
        TuningRecord tuned = TuningLog.best(log.read()).get(d.workload());
        assertNotNull(tuned, "the baseline is not a trial: the best is a template's configuration");
        assertEquals("conv2d_nchw_direct", tuned.template());
        var geom = new org.sinter.kernels.conv.ConvGeometry(8, 10, 10, 16, 10, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        // Two later baselines, the latest counting: first slower than the tuned best, then faster.
        double t = TuningLog.median(tuned);
        appendBaseline(log, d, 2 * t);
        ApplyHistoryBest slower = ApplyHistoryBest.load(log.file());
        assertEquals(tuned, slower.applied(d.workload()));
        assertNotNull(slower.conv2d(geom, 1, in.get(1), 0));
        appendBaseline(log, d, t / 2);
        ApplyHistoryBest faster = ApplyHistoryBest.load(log.file());
        assertNull(faster.applied(d.workload()));
        assertNull(faster.conv2d(geom, 1, in.get(1), 0), "a built-in kernel faster than the tuned best keeps running");
    }

    @Test
    void trialsOfAnEarlierVersionOfATemplatesSpaceAreSkipped(@TempDir Path dir) {
        ComputeDecl d = Operators.conv2d(new ConvParams(1, 8, 10, 10, 16, 3, 3, 1, 1, 1, 1));
        TuningLog log = new TuningLog(dir.resolve("tune.jsonl"));
        Template direct = Templates.of(d);
        Config c = direct.space().get(0);
        log.append(new TuningRecord(d.workload(), direct.name(), c.values(), List.of(2e-3), null, 0, d.flops() / 2e-3 / 1e9, 0, "random", TuningLog.VERSIONS));
        // Faster, but with the Winograd template's first knobs ("chunks", no "rows" or "split"): not a point of its space now.
        log.append(new TuningRecord(d.workload(), org.sinter.autotune.space.WinogradTemplate.NAME, java.util.Map.of("m", 2, "chunks", 1, "lanes", 4,
                "tile_i", 1, "tile_j", 1, "tile_k", 8, "unroll_k", 1, "outer_order", 0), List.of(1e-3), null, 0, d.flops() / 1e-3 / 1e9, 0, "sa",
                TuningLog.VERSIONS));
        ApplyHistoryBest best = ApplyHistoryBest.load(log.file());
        assertEquals(direct.name(), best.applied(d.workload()).template());
        assertNotNull(best.conv2d(new org.sinter.kernels.conv.ConvGeometry(8, 10, 10, 16, 10, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1), 1,
                Inputs.random(d, 1).get(1), 0));
    }

    private static void appendBaseline(TuningLog log, ComputeDecl d, double seconds) {
        log.append(new TuningRecord(d.workload(), TuningRecord.BUILTIN, java.util.Map.of(), List.of(seconds), null, 0, d.flops() / seconds / 1e9,
                0, "baseline", TuningLog.VERSIONS));
    }
}
