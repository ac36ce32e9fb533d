package org.sinter.bench;

import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;
import org.sinter.kernels.BinaryFn;
import org.sinter.kernels.BinaryKernels;
import org.sinter.kernels.Parallel;
import org.sinter.kernels.ReduceKernels;
import org.sinter.kernels.SoftmaxKernels;
import org.sinter.kernels.UnaryKernels.UnaryFn;
import org.sinter.kernels.UnaryKernels;

/**
 * The array kernels on 16M (2^24) float32 values, the sizes {@code bench/elementwise.sh} gives
 * NumPy: elementwise add/mul/exp/tanh/relu/sigmoid into a preallocated output, full sum and max,
 * and softmax over the rows of a [4096, 4096] matrix. Sample mode, so the script can quote medians.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
public class ElementwiseBench {
    static final int N = 1 << 24, ROWS = 4096, COLS = 4096;

    @Param({"2", "1"})
    public int threads;

    float[] a, b, y;
    float[] scalar = new float[1];

    @Setup
    public void setup() {
        Parallel.setNumThreads(threads);
        Random rnd = new Random(42);
        a = new float[N];
        b = new float[N];
        y = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = (float) rnd.nextGaussian();
            b[i] = (float) rnd.nextGaussian();
        }
    }

    @Benchmark
    public float[] add() {
        BinaryKernels.f32(BinaryFn.ADD, a, 0, 1, b, 0, 1, y, 0, N);
        return y;
    }

    @Benchmark
    public float[] mul() {
        BinaryKernels.f32(BinaryFn.MUL, a, 0, 1, b, 0, 1, y, 0, N);
        return y;
    }

    @Benchmark
    public float[] exp() {
        UnaryKernels.f32(UnaryFn.EXP, 0, 0, a, 0, 1, y, 0, N);
        return y;
    }

    @Benchmark
    public float[] tanh() {
        UnaryKernels.f32(UnaryFn.TANH, 0, 0, a, 0, 1, y, 0, N);
        return y;
    }

    @Benchmark
    public float[] relu() {
        UnaryKernels.f32(UnaryFn.RELU, 0, 0, a, 0, 1, y, 0, N);
        return y;
    }

    @Benchmark
    public float[] sigmoid() {
        UnaryKernels.f32(UnaryFn.SIGMOID, 0, 0, a, 0, 1, y, 0, N);
        return y;
    }

    @Benchmark
    public float sum() {
        ReduceKernels.sumF32(a, 0, 1, N, 1, scalar, 0);
        return scalar[0];
    }

    @Benchmark
    public float max() {
        ReduceKernels.maxF32(a, 0, 1, N, 1, scalar, 0);
        return scalar[0];
    }

    @Benchmark
    public float[] softmax() {
        SoftmaxKernels.softmaxF32(a, 0, ROWS, COLS, 1, y, 0);
        return y;
    }
}
