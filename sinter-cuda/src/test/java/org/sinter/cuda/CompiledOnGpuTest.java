package org.sinter.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.sinter.Device;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.CompiledTrainingStep;
import org.sinter.compiler.Compiler;
import org.sinter.compiler.codegen.Program;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.TransformerEncoderLayer;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;

/**
 * Compiled graphs on the GPU: the compiler's fusion groups run as generated CUDA C, every other
 * node on the CUDA backend; results equal eager ones on the CPU within float32 reassociation.
 * Skipped without a GPU.
 */
@EnabledIf("org.sinter.cuda.GpuTests#available")
class CompiledOnGpuTest {
    private static final Device GPU = Device.cuda(0);

    private static void close(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        assertEquals(GPU, actual.device(), what + " stays on the GPU");
        float[] e = expected.toFloatArray(), a = actual.to(Device.CPU).toFloatArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Float.isNaN(e[i]) ? Float.isNaN(a[i]) : Math.abs(e[i] - a[i]) <= tol * (1 + Math.abs(e[i]));
            assertTrue(ok, what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
        }
    }

    @Test
    void fusedChainsWithBroadcastsAndSeveralOutputs() {
        Sinter.manualSeed(3);
        Tensor x = Tensor.randn(64, 96), b = Tensor.randn(96), s = Tensor.randn(64, 1);
        Function<Tensor[], Tensor[]> fn = in -> {
            Tensor h = in[0].add(in[1]).gelu();
            Tensor r = h.add(in[0]).mul(0.5).tanh();
            return new Tensor[] {r, h.maximum(in[2]).sigmoid()};
        };
        CompiledFunction f = Compiler.compile(fn);
        Tensor[] cpu = fn.apply(new Tensor[] {x, b, s}); // eager, on the CPU
        Tensor[] gpu = f.call(x.to(GPU), b.to(GPU), s.to(GPU));
        close(cpu[0], gpu[0], 1e-5, "r");
        close(cpu[1], gpu[1], 1e-5, "h");
        Program p = f.programFor(x.to(GPU), b.to(GPU), s.to(GPU));
        assertEquals(GPU, p.device());
        assertTrue(!p.fusionGroups().isEmpty() && p.kernelCount() >= 1, "the chain runs as a generated CUDA kernel");
        // A transposed (strided) input reads through the geometry: same result.
        Tensor xt = Tensor.randn(96, 64);
        close(fn.apply(new Tensor[] {xt.transpose(0, 1), b, s})[0], f.call(xt.to(GPU).transpose(0, 1), b.to(GPU), s.to(GPU))[0], 1e-5, "strided input");
    }

    @Test
    void attentionScoresWithMaskAndSoftmaxRowKernel() {
        Sinter.manualSeed(4);
        for (int cols : new int[] {7, 64, 300, 1000}) {
            Tensor q = Tensor.randn(2, 3, 17, cols), mask = Tensor.randn(17, cols).mul(4.0);
            Function<Tensor[], Tensor[]> fn = in -> new Tensor[] {in[0].mul(0.125).add(in[1]).softmax(-1), in[0].sub(in[1]).logSoftmax(-1)};
            CompiledFunction f = Compiler.compile(fn);
            Tensor[] cpu = fn.apply(new Tensor[] {q, mask}), gpu = f.call(q.to(GPU), mask.to(GPU));
            close(cpu[0], gpu[0], 1e-5, "softmax, " + cols + " columns");
            close(cpu[1], gpu[1], 1e-5, "log-softmax, " + cols + " columns");
            assertTrue(f.programFor(q.to(GPU), mask.to(GPU)).fusionGroups().stream().anyMatch(g -> g.rowTail() != null));
        }
    }

    @Test
    void convNetAndTransformerLayerInference() {
        Sinter.manualSeed(5);
        Module cnn = new Sequential(new Conv2d(1, 8, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 13 * 13, 32), new ReLU(),
                new Linear(32, 10)).eval();
        Tensor x = Tensor.randn(16, 1, 28, 28);
        Tensor expected = cnn.forward(x);
        cnn.to(GPU);
        try (var _ = Sinter.noGrad()) {
            CompiledFunction f = Compiler.compile(cnn, CompileOptions.defaults().withDynamicBatch(true));
            close(expected, f.call(x.to(GPU))[0], 1e-4, "conv net");
            close(expected.narrow(0, 0, 5), f.call(x.narrow(0, 0, 5).to(GPU))[0], 1e-4, "conv net, another batch size");
        }
        TransformerEncoderLayer layer = new TransformerEncoderLayer(64, 4);
        layer.eval();
        Tensor seq = Tensor.randn(4, 20, 64);
        Tensor want = layer.forward(seq);
        layer.to(GPU);
        try (var _ = Sinter.noGrad()) {
            CompiledFunction f = Compiler.compile(layer);
            close(want, f.call(seq.to(GPU))[0], 1e-4, "transformer encoder layer");
        }
    }

    @Test
    void compiledTrainingStepsTrainAsEagerOnTheCpu() {
        List<Float> losses = new java.util.ArrayList<>();
        for (Device d : List.of(Device.CPU, GPU)) {
            Sinter.manualSeed(6);
            Module net = new Sequential(new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 5 * 5, 16), new ReLU(),
                    new Linear(16, 10));
            net.to(d);
            SGD opt = new SGD(net.parameters(), 0.05);
            // The reference is eager training on the CPU; the GPU runs the compiled step (forward, backward, update).
            var step = d == GPU ? new CompiledTrainingStep(net, F::crossEntropy, opt, CompileOptions.defaults()) : null;
            Sinter.manualSeed(7);
            for (int i = 0; i < 6; i++) {
                Tensor x = Tensor.randn(8, 1, 12, 12), y = Tensor.randint(0, 10, 8);
                if (step != null) {
                    losses.add((float) step.step(x.to(d), y.to(d)).item());
                } else {
                    opt.zeroGrad();
                    Tensor loss = F.crossEntropy(net.forward(x), y);
                    loss.backward();
                    opt.step();
                    losses.add((float) loss.item());
                }
            }
        }
        for (int i = 0; i < 6; i++) assertEquals(losses.get(i), losses.get(6 + i), 1e-4 * (1 + Math.abs(losses.get(i))), "step " + i);
    }

    @Test
    void aHostInputToAGpuGraphIsAClearError() {
        Tensor w = Tensor.randn(8).to(GPU);
        CompiledFunction f = Compiler.compile(in -> new Tensor[] {in[0].mul(in[1]).add(1.0).relu()}, Map.of(), CompileOptions.defaults());
        var e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> f.call(w, Tensor.randn(8)));
        assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains("cuda"), e.getMessage());
    }
}
