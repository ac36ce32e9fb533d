package org.sinter.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.passes.PassManager;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.kernels.Parallel;
import org.sinter.ops.TensorSpec;

/** Matrix products with their elementwise epilogue in one GEMM, and constant weights packed once: eager's bits. */
class GemmEpilogueTest {
    private static Graph trace(Function<Tensor[], Tensor[]> fn, int[]... shapes) {
        List<TensorSpec> specs = java.util.Arrays.stream(shapes).map(s -> new TensorSpec(s, DType.FLOAT32)).toList();
        return Tracer.trace(fn, specs, Map.of());
    }

    private static Program assertBitwiseEager(Graph g, Tensor... inputs) {
        Program p = Program.compile(g);
        for (int threads : new int[] {1, 2}) {
            Parallel.setNumThreads(threads);
            try {
                Tensor[] fused = p.run(inputs), eager = Interpreter.run(g, inputs);
                for (int i = 0; i < eager.length; i++) {
                    float[] e = eager[i].toFloatArray(), f = fused[i].toFloatArray();
                    assertEquals(e.length, f.length);
                    for (int k = 0; k < e.length; k++) {
                        if (Float.floatToIntBits(e[k]) != Float.floatToIntBits(f[k])) {
                            throw new AssertionError("output " + i + " element " + k + ": eager " + e[k] + ", compiled " + f[k] + " in\n" + g);
                        }
                    }
                }
            } finally {
                Parallel.setNumThreads(Runtime.getRuntime().availableProcessors());
            }
        }
        return p;
    }

    @Test
    void linearBiasActivationAndResidualRunAsOneGemm() {
        Sinter.manualSeed(3);
        // Sizes on both sides of the small-product path, with edge tiles (m, n not multiples of the tile).
        for (int[] s : new int[][] {{128, 784, 512}, {7, 33, 19}, {300, 130, 70}}) {
            int m = s[0], k = s[1], n = s[2];
            Tensor x = Tensor.randn(m, k), w = Tensor.randn(n, k), b = Tensor.randn(n), r = Tensor.randn(m, n);
            Graph g = trace(in -> new Tensor[] {in[0].matmul(in[1].t()).add(in[2]).gelu().add(in[3])},
                    x.shape(), w.shape(), b.shape(), r.shape());
            Program p = assertBitwiseEager(g, x, w, b, r);
            assertEquals(1, p.gemmGroups().size(), p.gemmGroups().toString());
            GemmGroup gg = p.gemmGroups().getFirst();
            assertNotNull(gg.epilogue());
            assertEquals(3, gg.epilogue().nodes().size(), gg.describe()); // add → gelu → add
            assertTrue(p.fusionGroups().isEmpty(), "the epilogue is not also a separate group");
        }
    }

    @Test
    void aSingleBiasAddIsAnEpilogueToo() {
        Sinter.manualSeed(4);
        Tensor x = Tensor.randn(64, 512), w = Tensor.randn(10, 512), b = Tensor.randn(10);
        Graph g = trace(in -> new Tensor[] {in[0].matmul(in[1].t()).add(in[2])}, x.shape(), w.shape(), b.shape());
        Program p = assertBitwiseEager(g, x, w, b);
        assertEquals(1, p.gemmGroups().size());
        assertEquals(1, p.gemmGroups().getFirst().epilogue().nodes().size());
    }

    @Test
    void aProductReadElsewhereKeepsItsOwnMemory() {
        Sinter.manualSeed(5);
        Tensor x = Tensor.randn(40, 50), w = Tensor.randn(50, 60), b = Tensor.randn(60);
        // The product is returned as well: the epilogue may not overwrite it, so no epilogue fusion.
        Graph g = trace(in -> {
            Tensor y = in[0].matmul(in[1]);
            return new Tensor[] {y.add(in[2]).relu(), y};
        }, x.shape(), w.shape(), b.shape());
        Program p = assertBitwiseEager(g, x, w, b);
        assertTrue(p.gemmGroups().stream().allMatch(gg -> gg.epilogue() == null), p.gemmGroups().toString());
        // A broadcast that is not along the product's rows (a [m, 1] column) still fuses: the nest stays two loops.
        Tensor col = Tensor.randn(40, 1);
        Graph g2 = trace(in -> new Tensor[] {in[0].matmul(in[1]).mul(in[2]).sigmoid()}, x.shape(), w.shape(), col.shape());
        assertEquals(1, assertBitwiseEager(g2, x, w, col).gemmGroups().size());
    }

    @Test
    void frozenWeightsArePackedOnceAndGiveTheSameBits() {
        Sinter.manualSeed(6);
        var model = new org.sinter.nn.Sequential(new org.sinter.nn.Linear(784, 512), new org.sinter.nn.ReLU(),
                new org.sinter.nn.Linear(512, 512), new org.sinter.nn.ReLU(), new org.sinter.nn.Linear(512, 10));
        Tensor x = Tensor.randn(128, 784);
        Graph traced = Tracer.trace(in -> new Tensor[] {model.forward(in[0])}, List.of(new TensorSpec(x.shape(), DType.FLOAT32)),
                new java.util.LinkedHashMap<>(model.namedParameters()));
        Graph frozen = PassManager.frozenInference().run(traced).graph();
        Program p = assertBitwiseEager(frozen, x);
        assertEquals(3, p.gemmGroups().size(), p.gemmGroups().toString());
        for (GemmGroup gg : p.gemmGroups()) {
            assertTrue(gg.constantWeight(), gg.describe());
            assertNotNull(gg.epilogue(), gg.describe());
        }
        try (var _ = Sinter.noGrad()) {
            // Folding W.t() into a dense constant changes which small-product kernel the last layer takes, so
            // the model's eager output agrees to rounding, not bit for bit.
            float[] eager = model.forward(x).toFloatArray(), compiled = p.run(x)[0].toFloatArray();
            for (int i = 0; i < eager.length; i++) assertEquals(eager[i], compiled[i], 1e-5 * (1 + Math.abs(eager[i])), "element " + i);
        }
        assertNull(Program.compile(traced).gemmGroups().stream().filter(GemmGroup::constantWeight).findAny().orElse(null),
                "parameters that are not frozen are not packed at compile time");
    }

    /** A frozen model, compiled, against its eager forward (to rounding: convolutions sum in GEMM order). */
    private static Program assertCloseToEager(org.sinter.nn.Module model, Tensor x, double tol) {
        model.eval();
        Graph traced = Tracer.trace(in -> new Tensor[] {model.forward(in[0])}, List.of(new TensorSpec(x.shape(), DType.FLOAT32)),
                new java.util.LinkedHashMap<>(model.namedParameters()) {{ putAll(model.namedBuffers()); }});
        Program p = Program.compile(PassManager.frozenInference().run(traced).graph());
        for (int threads : new int[] {1, 2}) {
            Parallel.setNumThreads(threads);
            try (var _ = Sinter.noGrad()) {
                float[] eager = model.forward(x).toFloatArray(), compiled = p.run(x)[0].toFloatArray();
                assertEquals(eager.length, compiled.length);
                for (int i = 0; i < eager.length; i++) {
                    assertEquals(eager[i], compiled[i], tol * (1 + Math.abs(eager[i])), "element " + i + " at " + threads + " threads");
                }
            } finally {
                Parallel.setNumThreads(Runtime.getRuntime().availableProcessors());
            }
        }
        return p;
    }

    @Test
    void convolutionsRunAsPackedGemmsWithTheirEpilogue() {
        Sinter.manualSeed(7);
        // conv + bias + relu, small per-sample products: threads take samples.
        var lenetHead = new org.sinter.nn.Sequential(new org.sinter.nn.Conv2d(3, 6, 5, 1, 2), new org.sinter.nn.ReLU(),
                new org.sinter.nn.Conv2d(6, 16, 3, 2, 1), new org.sinter.nn.Tanh());
        Program p = assertCloseToEager(lenetHead, Tensor.randn(5, 3, 20, 18), 1e-5);
        assertEquals(2, p.gemmGroups().stream().filter(gg -> gg.isConv() && gg.epilogue() != null).count(), p.gemmGroups().toString());
        // Batch norm folded into the filter, a pointwise convolution, and one large sample: the GEMM splits it.
        var block = new org.sinter.nn.Sequential(new org.sinter.nn.Conv2d(16, 64, new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, 1, false, "zeros"), new org.sinter.nn.BatchNorm2d(64),
                new org.sinter.nn.ReLU(), new org.sinter.nn.Conv2d(64, 32, 1), new org.sinter.nn.Sigmoid());
        for (var m : block.modules()) if (m instanceof org.sinter.nn.BatchNorm2d bn) {
            bn.runningMean.copy_(Tensor.randn(64).mul(0.1));
            bn.runningVar.copy_(Tensor.rand(64).add(0.5));
        }
        p = assertCloseToEager(block, Tensor.randn(1, 16, 40, 40), 1e-4);
        assertEquals(2, p.gemmGroups().stream().filter(GemmGroup::isConv).count(), p.gemmGroups().toString());
    }

    /** A ResNet basic block without batch norm: relu(conv2(relu(conv1(x))) + x), 3x3 convolutions of {@code channels}. */
    private static org.sinter.nn.Module basicBlock(int channels) {
        var conv1 = new org.sinter.nn.Conv2d(channels, channels, 3, 1, 1);
        var conv2 = new org.sinter.nn.Conv2d(channels, channels, 3, 1, 1);
        return new org.sinter.nn.Module() {
            { registerModule("conv1", conv1); registerModule("conv2", conv2); }

            @Override
            public Tensor forward(Tensor x) {
                return conv2.forward(conv1.forward(x).relu()).add(x).relu();
            }
        };
    }

    @Test
    void aResidualBlockFusesTheAddIntoTheSecondConvolution() {
        Sinter.manualSeed(8);
        Program p = assertCloseToEager(basicBlock(8), Tensor.randn(3, 8, 12, 12), 1e-5);
        GemmGroup second = p.gemmGroups().getLast();
        assertTrue(second.isConv() && second.epilogue() != null && second.epilogue().nodes().size() == 2, second.describe());
    }

    private static List<String> convKernels(Program p) {
        return p.steps().stream().filter(s -> s instanceof ConvStep).map(s -> ((ConvStep) s).kernel()).toList();
    }

    @Test
    void oneChannelConvolutionsRunTheStencilWithTheirEpilogue() {
        Sinter.manualSeed(9);
        // LeNet-5's first layer: the ReLU is applied as the stencil stores its vectors.
        var lenet = new org.sinter.nn.Sequential(new org.sinter.nn.Conv2d(1, 6, 5, 1, 2), new org.sinter.nn.ReLU(), new org.sinter.nn.MaxPool2d(2));
        assertEquals(List.of("one-channel+relu"), convKernels(assertCloseToEager(lenet, Tensor.randn(5, 1, 28, 28), 1e-5)));
        // Another epilogue runs on each finished band; no bias; an odd width and a batch of one cut into bands.
        var sigmoid = new org.sinter.nn.Sequential(new org.sinter.nn.Conv2d(1, 7, new int[] {3, 2}, new int[] {1}, new int[] {1, 0}, new int[] {1, 2}, 1, false, "zeros"),
                new org.sinter.nn.Sigmoid());
        assertEquals(List.of("one-channel"), convKernels(assertCloseToEager(sigmoid, Tensor.randn(1, 1, 9, 37), 1e-5)));
        // No epilogue: the convolution's output is the result; then a second convolution takes another kernel.
        var bare = new org.sinter.nn.Sequential(new org.sinter.nn.Conv2d(1, 32, 3), new org.sinter.nn.Conv2d(32, 16, 3));
        Program p = assertCloseToEager(bare, Tensor.randn(3, 1, 20, 19), 1e-4);
        assertEquals("one-channel", convKernels(p).getFirst(), convKernels(p).toString());
        assertTrue(!convKernels(p).get(1).startsWith("one-channel"), convKernels(p).toString());
    }

    @Test
    void threeByThreeStrideOneConvolutionsRunWinogradWithTheirEpilogue() {
        Sinter.manualSeed(10);
        // A ResNet basic block: conv-ReLU (the ReLU applied in the output transform), then conv + residual + ReLU on each finished band.
        org.sinter.nn.Module block = basicBlock(32);
        // Batch 2 (eager takes Winograd too) and batch 1 with an odd plane (eager takes the direct kernel: 1e-4 covers F(4x4)'s rounding).
        assertEquals(List.of("winograd+relu", "winograd"), convKernels(assertCloseToEager(block, Tensor.randn(2, 32, 24, 24), 1e-4)));
        // (13² at batch 1 has 16 4x4 tiles: F(4x4), on AVX2 too; where the rule picks F(2x2), only 16-float vectors run it.)
        var g13 = new org.sinter.kernels.conv.ConvGeometry(32, 13, 13, 32, 13, 13, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        List<String> small = org.sinter.kernels.conv.WinogradConv.preferred(g13, 1, true) ? List.of("winograd+relu", "winograd") : List.of("packed", "packed");
        assertEquals(small, convKernels(assertCloseToEager(block, Tensor.randn(1, 32, 13, 13), 1e-4)));
    }

    @Test
    void aDownsamplingBlockRunsItsStridedLayersOnTheirKernels() {
        Sinter.manualSeed(11);
        // ResNet's first block of a stage: 3x3 stride 2 (the direct kernel), 3x3 stride 1, and the 1x1 stride-2 shortcut (im2col picks
        // every other pixel, then the GEMM) whose output joins the residual add; batch-norm statistics that are not the identity.
        var block = new org.sinter.nn.models.BasicBlock(16, 32, 2);
        block.eval();
        try (var _ = Sinter.noGrad()) {
            for (var e : block.namedBuffers().entrySet()) {
                if (e.getKey().endsWith("running_var")) e.getValue().copy_(Tensor.rand(e.getValue().shape()).add(0.5));
                if (e.getKey().endsWith("running_mean")) e.getValue().copy_(Tensor.randn(e.getValue().shape()).mul(0.1));
            }
        }
        List<String> kernels = convKernels(assertCloseToEager(block, Tensor.randn(2, 16, 15, 15), 1e-4));
        assertEquals(3, kernels.size(), kernels.toString());
        // The 3x3 stride-2 convolution takes the direct kernel's stride-2 tiles where they run (AVX-512).
        var strided = new org.sinter.kernels.conv.ConvGeometry(16, 15, 15, 32, 8, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1);
        String direct = org.sinter.kernels.conv.PackedConv.stridedTiles(strided) ? "packed-s2" : "packed";
        assertTrue(kernels.contains("gemm") && kernels.contains(direct), kernels.toString());
        assertTrue(convKernels(assertCloseToEager(block, Tensor.randn(1, 16, 16, 16), 1e-4)).contains("gemm"));
        // From 128 input channels the shortcut takes the stride-2 tiles too (where they run), as layer3's and layer4's do.
        var wide = new org.sinter.nn.models.BasicBlock(128, 32, 2);
        wide.eval();
        List<String> wideKernels = convKernels(assertCloseToEager(wide, Tensor.randn(1, 128, 14, 14), 1e-4));
        assertEquals(direct.equals("packed-s2") ? 2 : 0, wideKernels.stream().filter("packed-s2"::equals).count(), wideKernels.toString());
    }
}
