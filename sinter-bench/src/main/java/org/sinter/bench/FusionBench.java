package org.sinter.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sinter.GradMode;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.kernels.Parallel;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.GELU;
import org.sinter.nn.LayerNorm;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/**
 * Operator fusion, eager Sinter beside compiled Sinter on the same module and input, inference
 * (no gradients): BatchNorm+ReLU on a [32, 64, 28, 28] activation, a bias+GELU epilogue on a
 * [4096, 1024] matrix, and attention's scale-mask-softmax on [8, 8, 256, 256] scores with a [256, 256]
 * mask, LayerNorm+GELU on [4096, 1024], and the Transformer MLP block LayerNorm → Linear(256, 1024) →
 * GELU → Linear(1024, 256) on [4096, 256] ({@code bench/fusion.sh} prints the ratio). Sample mode, for medians.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
public class FusionBench {
    @Param({"bn_relu", "bias_gelu", "scale_mask_softmax", "layernorm_gelu", "ln_gelu_mlp"})
    public String block;

    @Param({"eager", "compiled"})
    public String mode;

    @Param({"2"})
    public int threads;

    private Module module;
    private CompiledFunction compiled;
    private Tensor x;
    private GradMode.Scope noGrad;

    /** {@code x + bias} then GELU: the epilogue a Linear layer's GEMM leaves to elementwise kernels. */
    static final class BiasGelu extends Module {
        final Tensor bias = registerBuffer("bias", Tensor.randn(1024));

        @Override
        public Tensor forward(Tensor input) {
            return new GELU().forward(input.add(bias));
        }
    }

    /** Attention's {@code softmax(scores / sqrt(d) + mask)} over the last dimension. */
    static final class ScaleMaskSoftmax extends Module {
        final Tensor mask = registerBuffer("mask", Tensor.ones(256, 256).triu(1).mul(-1e9));

        @Override
        public Tensor forward(Tensor scores) {
            return scores.mul(0.125).add(mask).softmax(-1);
        }
    }

    @Setup
    public void setup() {
        Parallel.setNumThreads(threads);
        Sinter.manualSeed(1);
        switch (block) {
            case "bn_relu" -> {
                module = new Sequential(new BatchNorm2d(64), new ReLU());
                module.eval();
                x = Tensor.randn(32, 64, 28, 28);
            }
            case "bias_gelu" -> {
                module = new BiasGelu();
                x = Tensor.randn(4096, 1024);
            }
            case "scale_mask_softmax" -> {
                module = new ScaleMaskSoftmax();
                x = Tensor.randn(8, 8, 256, 256);
            }
            case "layernorm_gelu" -> {
                module = new Sequential(new LayerNorm(1024), new GELU());
                x = Tensor.randn(4096, 1024);
            }
            case "ln_gelu_mlp" -> {
                module = new Sequential(new LayerNorm(256), new Linear(256, 1024), new GELU(), new Linear(1024, 256));
                x = Tensor.randn(4096, 256);
            }
            default -> throw new IllegalArgumentException(block);
        }
        noGrad = Sinter.noGrad();
        compiled = Compiler.compile(module);
        compiled.call(x); // compile outside the measurement
    }

    @TearDown
    public void tearDown() {
        noGrad.close();
    }

    @Benchmark
    public Tensor run() {
        return mode.equals("eager") ? module.forward(x) : compiled.call(x)[0];
    }
}
