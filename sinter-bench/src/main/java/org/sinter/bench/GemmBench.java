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
import org.sinter.kernels.Parallel;
import org.sinter.kernels.gemm.Gemm;

/**
 * Float32 GEMM {@code C = A*B} (row-major, no transposes, beta = 0) through {@link Gemm}, on Sinter's
 * Java kernel or the system OpenBLAS. Shapes are {@code m x k x n}; the time per call converts to
 * GFLOP/s as {@code 2*m*n*k / time} (bench/gemm.sh prints that, beside NumPy).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC"})
public class GemmBench {
    /** m x k x n. */
    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
            "128x784x512", "64x512x512"})
    public String shape;

    @Param({"java", "openblas"})
    public String provider;

    @Param({"2"})
    public int threads;

    private int m, n, k;
    private float[] a, b, c;

    @Setup
    public void setup() {
        String[] s = shape.split("x");
        m = Integer.parseInt(s[0]);
        k = Integer.parseInt(s[1]);
        n = Integer.parseInt(s[2]);
        Random r = new Random(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        Parallel.setNumThreads(threads);
        Gemm.setProvider(Gemm.Provider.valueOf(provider.toUpperCase(java.util.Locale.ROOT)));
    }

    @Benchmark
    public float[] sgemm() {
        Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        return c;
    }
}
