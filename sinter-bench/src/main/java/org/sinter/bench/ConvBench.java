package org.sinter.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sinter.Autograd;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * The convolutions of the Lab 1 CNN (batch 64: 1→32 3x3 on 28x28, 32→64 3x3 on 26x26) and of
 * LeNet-5 (1→6 5x5 pad 2 on 28x28, 6→16 5x5 on 14x14), forward and forward+backward. A first
 * layer's input needs no gradient (as in training); the others' do. {@code bench/conv.sh} runs
 * PyTorch on the same shapes beside this and prints the ratio.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBench {
    /** name: batch, in, out, size, kernel, padding, whether the input needs a gradient. */
    @Param({"lab1_conv1", "lab1_conv2", "lenet_conv1", "lenet_conv2"})
    public String shape;

    @Param({"2"})
    public int threads;

    Tensor x, w, b, gy;
    int padding;

    static int[] spec(String shape) {
        return switch (shape) {
            case "lab1_conv1" -> new int[] {64, 1, 32, 28, 3, 0, 0};
            case "lab1_conv2" -> new int[] {64, 32, 64, 26, 3, 0, 1};
            case "lenet_conv1" -> new int[] {64, 1, 6, 28, 5, 2, 0};
            case "lenet_conv2" -> new int[] {64, 6, 16, 14, 5, 0, 1};
            default -> throw new IllegalArgumentException(shape);
        };
    }

    @Setup(Level.Trial)
    public void setup() {
        Sinter.setNumThreads(threads);
        Sinter.manualSeed(0);
        int[] s = spec(shape);
        x = Tensor.randn(s[0], s[1], s[3], s[3]).requiresGrad(s[6] == 1);
        w = Tensor.randn(s[2], s[1], s[4], s[4]).requiresGrad(true);
        b = Tensor.randn(s[2]).requiresGrad(true);
        padding = s[5];
        int out = s[3] + 2 * padding - s[4] + 1;
        gy = Tensor.randn(s[0], s[2], out, out);
    }

    @Benchmark
    public Tensor forward() {
        try (var _ = Sinter.noGrad()) {
            return F.conv2d(x, w, b, 1, padding);
        }
    }

    @Benchmark
    public List<Tensor> forwardBackward() {
        Tensor y = F.conv2d(x, w, b, 1, padding);
        List<Tensor> wrt = x.requiresGrad() ? List.of(x, w, b) : List.of(w, b);
        return Autograd.grad(List.of(y), wrt, List.of(gy), false, false, false);
    }
}
