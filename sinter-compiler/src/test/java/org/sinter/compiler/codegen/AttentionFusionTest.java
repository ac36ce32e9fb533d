package org.sinter.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.sinter.nn.MultiheadAttention;
import org.sinter.ops.TensorSpec;

/**
 * The attention rewrite: scale, scores, mask, softmax and the product with V as one step
 * ({@link AttentionPlanner}, {@link AttentionStep}), checked for equivalence with the unfused ops
 * (the interpreter's eager run) on random inputs, at one and two threads.
 */
class AttentionFusionTest {
    private static Graph trace(Function<Tensor[], Tensor[]> fn, int[]... shapes) {
        List<TensorSpec> specs = java.util.Arrays.stream(shapes).map(s -> new TensorSpec(s, DType.FLOAT32)).toList();
        // The standard passes drop the expands and reshapes that tracing records around each bmm.
        return PassManager.standard().run(Tracer.trace(fn, specs, Map.of())).graph();
    }

    /** Runs the program and the eager interpreter on fresh random inputs; returns the number of attention steps. */
    private static long assertEquivalent(Graph g, int[]... shapes) {
        Program p = Program.compile(g);
        for (int round = 0; round < 3; round++) {
            Tensor[] in = new Tensor[shapes.length];
            for (int i = 0; i < in.length; i++) in[i] = Tensor.randn(shapes[i]).mul(2);
            for (int threads : new int[] {1, 2}) {
                Parallel.setNumThreads(threads);
                try {
                    Tensor[] fused = p.run(in), eager = Interpreter.run(g, in);
                    for (int o = 0; o < eager.length; o++) {
                        assertEquals(java.util.Arrays.toString(eager[o].shape()), java.util.Arrays.toString(fused[o].shape()));
                        float[] e = eager[o].toFloatArray(), f = fused[o].toFloatArray();
                        // An output is a weighted sum of V's rows: rounding scales with the largest of them, not with the (cancelling) result.
                        double scale = 0;
                        for (float x : e) scale = Math.max(scale, Math.abs(x));
                        for (int k = 0; k < e.length; k++) {
                            if (!(Math.abs(e[k] - f[k]) <= 1e-5 * (scale + Math.abs(e[k])))) {
                                throw new AssertionError("output " + o + " element " + k + ": eager " + e[k] + ", fused " + f[k] + " in\n" + g);
                            }
                        }
                    }
                } finally {
                    Parallel.setNumThreads(Runtime.getRuntime().availableProcessors());
                }
            }
        }
        return p.steps().stream().filter(s -> s instanceof AttentionStep).count();
    }

    @Test
    void causalAttentionWithTheHeadsTransposedBackIsOneStep() {
        Sinter.manualSeed(11);
        // As MultiheadAttention traces it: heads as views of [L, H·D] projections, q / √d, the causal mask, heads back to [L, H, D].
        int l = 37, h = 3, d = 20; // rows and depth that are not multiples of the vector or the row block
        Graph g = trace(in -> {
            Tensor q = in[0].reshape(l, h, d).transpose(0, 1), k = in[1].reshape(l, h, d).transpose(0, 1), v = in[2].reshape(l, h, d).transpose(0, 1);
            Tensor scores = q.div(Math.sqrt(d)).matmul(k.transpose(1, 2)).add(MultiheadAttention.causalMask(l));
            return new Tensor[] {scores.softmax(-1).matmul(v).transpose(0, 1).clone()};
        }, new int[] {l, h * d}, new int[] {l, h * d}, new int[] {l, h * d});
        assertEquals(1, assertEquivalent(g, new int[] {l, h * d}, new int[] {l, h * d}, new int[] {l, h * d}));
        Program p = Program.compile(g);
        assertTrue(p.fusionGroups().isEmpty() && p.gemmGroups().isEmpty(), "nothing else runs the chain's ops: " + p.fusionGroups() + p.gemmGroups());
    }

    @Test
    void anArbitraryMaskAndAScaleByMultiplicationAreKept() {
        Sinter.manualSeed(12);
        int h = 4, l = 9, s = 70, d = 32;
        Graph g = trace(in -> new Tensor[] {in[0].mul(0.125).matmul(in[1].transpose(1, 2)).add(in[3]).softmax(-1).matmul(in[2])},
                new int[] {h, l, d}, new int[] {h, s, d}, new int[] {h, s, d}, new int[] {1, l, s});
        assertEquals(1, assertEquivalent(g, new int[] {h, l, d}, new int[] {h, s, d}, new int[] {h, s, d}, new int[] {1, l, s}));
    }

    @Test
    void noMaskAndNoScale() {
        Sinter.manualSeed(13);
        int h = 2, l = 16, s = 16, d = 16;
        Graph g = trace(in -> new Tensor[] {in[0].matmul(in[1].transpose(1, 2)).softmax(-1).matmul(in[2])},
                new int[] {h, l, d}, new int[] {h, s, d}, new int[] {h, s, d});
        assertEquals(1, assertEquivalent(g, new int[] {h, l, d}, new int[] {h, s, d}, new int[] {h, s, d}));
    }

    @Test
    void aMaskThatIsNotCausalIsAddedNotSkipped() {
        Sinter.manualSeed(14);
        int h = 2, l = 12, d = 8;
        Tensor almost = MultiheadAttention.causalMask(l).add(Tensor.eye(l).mul(-0.5)); // not 0 on the diagonal
        Graph g = trace(in -> new Tensor[] {in[0].div(2.0).matmul(in[1].transpose(1, 2)).add(almost.clone()).softmax(-1).matmul(in[2])},
                new int[] {h, l, d}, new int[] {h, l, d}, new int[] {h, l, d});
        assertEquals(1, assertEquivalent(g, new int[] {h, l, d}, new int[] {h, l, d}, new int[] {h, l, d}));
    }

    @Test
    void probabilitiesSomethingElseReadsKeepTheUnfusedOps() {
        Sinter.manualSeed(15);
        int h = 2, l = 8, d = 8;
        // The attention weights are also a result (as a backward would save them): no fusion.
        Graph g = trace(in -> {
            Tensor p = in[0].matmul(in[1].transpose(1, 2)).softmax(-1);
            return new Tensor[] {p.matmul(in[2]), p};
        }, new int[] {h, l, d}, new int[] {h, l, d}, new int[] {h, l, d});
        assertEquals(0, assertEquivalent(g, new int[] {h, l, d}, new int[] {h, l, d}, new int[] {h, l, d}));
    }
}
