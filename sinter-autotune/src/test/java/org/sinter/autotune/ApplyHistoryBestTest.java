package org.sinter.autotune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import org.sinter.autotune.measure.Measurer;
import org.sinter.autotune.search.RandomExplorer;
import org.sinter.autotune.search.Tuner;
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
    void convolutionsTheDeclarationsDoNotCoverFallBack() {
        var asymmetric = new org.sinter.kernels.conv.ConvGeometry(4, 8, 8, 8, 8, 4, 3, 3, 1, 2, 1, 1, 1, 1, 1);
        assertNull(ApplyHistoryBest.declFor(asymmetric, 1));
        var depthwise = new org.sinter.kernels.conv.ConvGeometry(4, 8, 8, 4, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 4);
        assertNotNull(ApplyHistoryBest.declFor(depthwise, 1));
        assertEquals("depthwise_conv2d", ApplyHistoryBest.declFor(depthwise, 1).op());
    }
}
