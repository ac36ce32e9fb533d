package org.sinter.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.kernels.UnaryKernels.UnaryFn;
import org.sinter.kernels.VectorFns;
import org.sinter.ops.TensorSpec;
import org.sinter.ops.UnaryOps;

/** Generated fused kernels give the eager kernels' bits, over broadcasts, tails and the parallel path. */
class FusionTest {
    private static Graph trace(Function<Tensor[], Tensor[]> fn, int[]... shapes) {
        List<TensorSpec> specs = java.util.Arrays.stream(shapes).map(s -> new TensorSpec(s, DType.FLOAT32)).toList();
        return Tracer.trace(fn, specs, Map.of());
    }

    private static void assertBitwiseEager(Graph g, Tensor... inputs) {
        Program p = Program.compile(g);
        assertTrue(!p.fusionGroups().isEmpty() || !p.rowGroups().isEmpty(), "something fused:\n" + g);
        Tensor[] fused = p.run(inputs), eager = Interpreter.run(g, inputs);
        for (int i = 0; i < eager.length; i++) {
            assertArrayEquals(eager[i].shape(), fused[i].shape());
            float[] e = eager[i].toFloatArray(), f = fused[i].toFloatArray();
            for (int k = 0; k < e.length; k++) {
                if (Float.floatToIntBits(e[k]) != Float.floatToIntBits(f[k])) {
                    throw new AssertionError("output " + i + " element " + k + ": eager " + e[k] + ", fused " + f[k] + " in\n" + g);
                }
            }
        }
    }

    /** A LayerNorm over the last {@code d} values with random weight and bias (not the identity it starts as). */
    private static org.sinter.nn.LayerNorm randomLayerNorm(int d) {
        org.sinter.nn.LayerNorm ln = new org.sinter.nn.LayerNorm(d);
        try (var _ = Sinter.noGrad()) {
            ln.weight.copy_(Tensor.randn(d));
            ln.bias.copy_(Tensor.randn(d));
        }
        return ln;
    }

    /** Random values with the awkward ones mixed in. */
    private static Tensor awkward(int... shape) {
        Tensor t = Tensor.randn(shape).mul(3.0);
        float[] v = t.toFloatArray();
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-40f, 88.8f, -104f, 1f, -1f};
        for (int i = 0; i < v.length; i += 7) v[i] = special[(i / 7) % special.length];
        return Tensor.of(v, shape);
    }

    @Test
    void everyUnaryFunctionMatchesEagerBitwise() {
        Sinter.manualSeed(5);
        Tensor x = awkward(3, 37); // 111 elements: full vectors and a masked tail
        for (UnaryFn fn : VectorFns.SUPPORTED) {
            double p0 = switch (fn) { case CLAMP -> -1.5; case LEAKY_RELU -> 0.01; case AFFINE -> 1.5; case SOFTPLUS -> 1.0; default -> 0; };
            double p1 = switch (fn) { case CLAMP -> 2.0; case AFFINE -> -0.25; case SOFTPLUS -> 20.0; default -> 0; };
            Graph g = trace(in -> new Tensor[] {org.sinter.Dispatch.apply1(new UnaryOps.Unary(fn, p0, p1), in[0].mul(0.75)).add(1.0)}, x.shape());
            assertBitwiseEager(g, x);
        }
    }

    @Test
    void broadcastsAndSeveralOutputs() {
        Sinter.manualSeed(6);
        Tensor x = awkward(7, 19), bias = awkward(19), col = awkward(7, 1);
        Graph g = trace(in -> {
            Tensor h = in[0].add(in[1]).relu();
            Tensor y = h.mul(in[2]).sub(h.sigmoid()).div(2.0);
            return new Tensor[] {y, h.exp()}; // h is read by both: a group with two outputs
        }, x.shape(), bias.shape(), col.shape());
        assertBitwiseEager(g, x, bias, col);
    }

    @Test
    void largeInputsRunOnThePool() {
        Sinter.manualSeed(7);
        Tensor x = Tensor.randn(600, 515), b = Tensor.randn(515);
        Graph g = trace(in -> new Tensor[] {in[0].add(in[1]).gelu().mul(in[0])}, x.shape(), b.shape());
        assertBitwiseEager(g, x, b);
        Graph flat = trace(in -> new Tensor[] {in[0].tanh().mul(2.0).add(in[0])}, new int[] {300_001});
        assertBitwiseEager(flat, Tensor.randn(300_001));
        // Two staged functions (GELU, erf) in one flat group: 1024-element chunks split over the pool.
        Graph staged = trace(in -> new Tensor[] {in[0].mul(0.5).gelu().add(in[0].erf()).mul(in[0])}, new int[] {300_001});
        assertBitwiseEager(staged, awkward(300_001));
    }

    @Test
    void scaleMaskSoftmaxRunsAsOneRowKernel() {
        Sinter.manualSeed(8);
        Tensor scores = awkward(2, 3, 5, 37), mask = Tensor.randn(5, 37).mul(2.0);
        Graph g = trace(in -> new Tensor[] {in[0].mul(0.125).add(in[1]).softmax(-1)}, scores.shape(), mask.shape());
        Program p = Program.compile(g);
        assertEquals(1, p.fusionGroups().size(), p.fusionGroups().toString());
        assertTrue(p.fusionGroups().get(0).rowTail() != null);
        assertBitwiseEager(g, scores, mask);
        Graph logSoftmax = trace(in -> new Tensor[] {in[0].sub(in[1]).logSoftmax(1)}, new int[] {64, 300}, new int[] {64, 1});
        assertBitwiseEager(logSoftmax, Tensor.randn(64, 300), Tensor.randn(64, 1));
        Graph vector = trace(in -> new Tensor[] {in[0].mul(2.0).softmax(0)}, new int[] {50});
        assertBitwiseEager(vector, Tensor.randn(50));
    }

    @Test
    void layerNormAndOtherRowReductionsRunAsRowKernels() {
        Sinter.manualSeed(12);
        org.sinter.nn.LayerNorm ln = randomLayerNorm(37);
        Tensor x = awkward(3, 5, 37);
        Tensor xs = Tensor.where(x.isfinite(), x, Tensor.scalar(0.5, DType.FLOAT32)); // rows with inf or NaN normalise to NaN either way
        Graph g = org.sinter.compiler.passes.PassManager.standard().run(
                Tracer.trace(in -> new Tensor[] {ln.forward(in[0]).gelu()}, List.of(new TensorSpec(xs.shape(), DType.FLOAT32)), ln.namedParameters())).graph();
        Program p = Program.compile(g);
        assertEquals(1, p.rowGroups().size(), p.rowGroups() + "\n" + g);
        assertBitwiseEager(g, xs);
        // RMS norm and a softmax written by hand: sum and max reductions, row scalars, broadcasts.
        Graph rms = trace(in -> new Tensor[] {in[0].mul(in[0].mul(in[0]).mean(new int[] {-1}, true).add(1e-6).rsqrt()).mul(in[1])},
                new int[] {64, 300}, new int[] {300});
        assertBitwiseEager(rms, Tensor.randn(64, 300), Tensor.randn(300));
        Graph soft = trace(in -> {
            Tensor e = in[0].sub(in[0].amax(new int[] {1}, true)).exp();
            return new Tensor[] {e.div(e.sum(new int[] {1}, true))};
        }, new int[] {40, 70});
        assertBitwiseEager(soft, Tensor.randn(40, 70).mul(4.0));
    }

    @Test
    void aBatchOneLayerNormSplitsItsRowsAcrossThreads() {
        // 64 rows of 128 (a batch-1 GPT's LayerNorm, 8192 elements): pieces of rows on the pool, same bits.
        Sinter.manualSeed(13);
        org.sinter.nn.LayerNorm ln = randomLayerNorm(128);
        Tensor x = Tensor.randn(1, 64, 128), r = Tensor.randn(1, 64, 128);
        Graph g = org.sinter.compiler.passes.PassManager.standard().run(Tracer.trace(in -> new Tensor[] {ln.forward(in[0].add(in[1]))},
                List.of(new TensorSpec(x.shape(), DType.FLOAT32), new TensorSpec(r.shape(), DType.FLOAT32)), ln.namedParameters())).graph();
        int before = org.sinter.kernels.Parallel.numThreads();
        org.sinter.kernels.Parallel.setNumThreads(2);
        try {
            Program p = Program.compile(g);
            assertEquals(1, p.rowGroups().size(), p.rowGroups() + "\n" + g);
            long regions = org.sinter.kernels.Parallel.regionsStarted();
            assertBitwiseEager(g, x, r);
            assertTrue(org.sinter.kernels.Parallel.regionsStarted() > regions, "the row group ran on the pool");
        } finally {
            org.sinter.kernels.Parallel.setNumThreads(before);
        }
    }

    @Test
    void loopNestsCoalesceAndKernelsAreReused() {
        LoopNest same = LoopNest.of(new int[] {4, 5, 6}, List.of(new int[] {4, 5, 6}, new int[] {4, 5, 6}));
        assertArrayEquals(new int[] {120}, same.sizes());
        LoopNest bias = LoopNest.of(new int[] {4, 5, 6}, List.of(new int[] {4, 5, 6}, new int[] {6}));
        assertArrayEquals(new int[] {20, 6}, bias.sizes());
        assertArrayEquals(new int[] {0, 1}, bias.strides()[1]);
        LoopNest channel = LoopNest.of(new int[] {2, 3, 4, 4}, List.of(new int[] {2, 3, 4, 4}, new int[] {1, 3, 1, 1}));
        assertArrayEquals(new int[] {2, 3, 16}, channel.sizes());

        Graph a = trace(in -> new Tensor[] {in[0].add(in[1]).relu()}, new int[] {8, 32}, new int[] {32});
        Graph b = trace(in -> new Tensor[] {in[0].add(in[1]).relu()}, new int[] {64, 10}, new int[] {10});
        long before = KernelCompiler.stats().compiled();
        Program pa = Program.compile(a), pb = Program.compile(b);
        assertEquals(1, pa.kernelCount());
        assertTrue(KernelCompiler.stats().compiled() - before <= 1, "the same pattern at another shape reuses the kernel");
        assertBitwiseEager(b, Tensor.randn(64, 10), Tensor.randn(10));
        assertEquals(pa.fusionGroups().size(), pb.fusionGroups().size());
    }
}
