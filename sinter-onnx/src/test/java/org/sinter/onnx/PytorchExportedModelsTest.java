package org.sinter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;

/**
 * Models exported by PyTorch 1.13 (tools/fixtures/gen_onnx_models.py; "volumetric": 3-D convolution,
 * transposed convolution and pooling; "causal_gpt": the zoo's GPT, small) run through the compiler with PyTorch's outputs.
 */
class PytorchExportedModelsTest {
    private static Path dir(String name) {
        return Path.of("src/test/resources/pytorch", name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5", "transformer_encoder", "volumetric", "causal_gpt"})
    void outputsMatchPytorchAtTwoBatchSizes(String name) throws Exception {
        OnnxModel model = OnnxModel.load(dir(name).resolve("model.onnx"));
        assertEquals("batch", model.inputs().get(0).shape().get(0).param(), "the exported dynamic axis keeps its name");
        for (String suffix : new String[] {"", "_b2"}) {
            Tensor x = Npy.read(dir(name).resolve("input" + suffix + ".npy"));
            Tensor expected = Npy.read(dir(name).resolve("output" + suffix + ".npy"));
            Tensor y = model.run(java.util.Map.of("input", x)).get("output");
            assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(y.shape()));
            float[] a = y.toFloatArray();
            float[] e = expected.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs(a[i] - e[i]) <= 1e-5 + 1e-4 * Math.abs(e[i]), name + suffix + " element " + i + ": " + a[i] + " vs PyTorch " + e[i]);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theExportedCausalAttentionRunsAsOneFusedStepPerLayer() throws Exception {
        OnnxModel model = OnnxModel.load(dir("causal_gpt").resolve("model.onnx"));
        Tensor ids = Npy.read(dir("causal_gpt").resolve("input.npy"));
        org.sinter.profiler.Profiler p = org.sinter.profiler.Profiler.start();
        try {
            model.run(java.util.Map.of("input", ids));
        } finally {
            p.close();
        }
        String table = p.keyAverages(true).table(org.sinter.profiler.KeyAverages.SortBy.SELF_CPU_TIME_TOTAL, 100);
        // Two layers: the exported Div → MatMul → Add(mask) → Softmax → MatMul → Transpose chain twice as the causal step, no softmax left.
        assertTrue(table.contains("compiled.Attention [9, 4, 16] causal"), table);
        assertTrue(!table.contains("softmax"), table);
    }

    @org.junit.jupiter.api.Test
    void theExportedGptCompilesToTheZoosProductsAndGelu() throws Exception {
        // PyTorch writes one packed Q/K/V product sliced three ways and the GELU as Div → Erf → Add → Mul → Mul.
        // At batch 2 the heads' reshape cannot view a column slice: the compiler splits the product (no slices
        // copied) and makes each erf chain one GELU, the graph the zoo's model compiles to.
        OnnxModel model = OnnxModel.load(dir("causal_gpt").resolve("model.onnx"));
        Graph g = model.graphFor(Npy.read(dir("causal_gpt").resolve("input_b2.npy")));
        java.util.function.Predicate<org.sinter.ops.Op> slice = op -> op instanceof org.sinter.ops.ViewOps.Slice;
        java.util.function.Function<org.sinter.kernels.UnaryKernels.UnaryFn, Long> unaries = fn -> g.nodes().stream()
                .filter(n -> n.op() instanceof org.sinter.ops.UnaryOps.Unary u && u.fn() == fn).count();
        assertEquals(0, g.nodes().stream().filter(n -> slice.test(n.op())).count(), g.toString());
        assertEquals(0L, unaries.apply(org.sinter.kernels.UnaryKernels.UnaryFn.ERF), g.toString());
        assertEquals(2L, unaries.apply(org.sinter.kernels.UnaryKernels.UnaryFn.GELU), g.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5"})
    void weightOnlyWorkFoldsAtCompileTime(String name) throws Exception {
        OnnxModel model = OnnxModel.load(dir(name).resolve("model.onnx"));
        Graph g = model.graphFor(Npy.read(dir(name).resolve("input.npy")));
        String text = g.toString();
        assertTrue(text.contains("Conv2d{"), text);
        // Gemm's transB transposes a weight: the compiler folds it into a constant instead of transposing per call.
        assertTrue(text.contains("folded."), "the transposed Gemm weights should be folded constants:\n" + text);
        assertTrue(!text.contains("Transpose{"), text);
    }
}
