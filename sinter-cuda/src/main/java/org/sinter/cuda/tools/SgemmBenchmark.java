package org.sinter.cuda.tools;

import java.util.Locale;
import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.cuda.Cuda;
import org.sinter.cuda.CudaBlas;
import org.sinter.cuda.CudaDevice;
import org.sinter.cuda.driver.Cublas;
import org.sinter.cuda.driver.Driver;

/**
 * Sinter's SGEMM kernels beside cuBLAS in the same run: square float32 products (default n = 4096),
 * each timed with CUDA events over repeated launches after warm-up; prints TFLOP/s and the ratio to
 * cuBLAS (TF32 off: cuBLAS's default math mode for SGEMM). Usage: {@code SgemmBenchmark [n] [reps]}.
 */
public final class SgemmBenchmark {
    private SgemmBenchmark() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Cuda.requireAvailable();
        CudaDevice dev = Cuda.device(0);
        System.out.println("device: " + dev + ", driver " + Driver.driverVersion() + ", cuBLAS " + (Cublas.isAvailable() ? Cublas.LIBRARY.loaded() : "absent"));
        Generator g = new Generator(1);
        Tensor a = g.randn(DType.FLOAT32, n, n).to(Device.cuda(0)), b = g.randn(DType.FLOAT32, n, n).to(Device.cuda(0));
        Tensor c = Tensor.empty(DType.FLOAT32, Device.cuda(0), n, n);
        double flops = 2.0 * n * n * n;
        double cublas = Double.NaN;
        if (Cublas.isAvailable()) {
            cublas = time(dev, reps, () -> CudaBlas.benchmarkGemm(dev, true, null, n, a, b, c));
            report("cuBLAS", flops, cublas, cublas);
        }
        for (CudaBlas.Variant v : CudaBlas.Variant.values()) {
            int r = v == CudaBlas.Variant.NAIVE || v == CudaBlas.Variant.TILED ? Math.max(2, reps / 5) : reps;
            double ms = time(dev, r, () -> CudaBlas.benchmarkGemm(dev, false, v, n, a, b, c));
            report("sinter " + v.name().toLowerCase(Locale.ROOT), flops, ms, cublas);
        }
    }

    private static void report(String what, double flops, double ms, double cublasMs) {
        System.out.printf(Locale.ROOT, "sgemm n=%d %-18s %9.3f ms  %7.2f TFLOP/s  %s%n", (int) Math.round(Math.cbrt(flops / 2)), what, ms,
                flops / ms / 1e9, Double.isNaN(cublasMs) ? "" : String.format(Locale.ROOT, "%.3fx cuBLAS", cublasMs / ms));
    }

    /** Median milliseconds per launch over {@code reps} event-timed launches, after three warm-ups. */
    private static double time(CudaDevice dev, int reps, Runnable launch) {
        for (int i = 0; i < 3; i++) launch.run();
        dev.synchronize();
        double[] ms = new double[reps];
        long start = Driver.eventCreate(), end = Driver.eventCreate();
        for (int i = 0; i < reps; i++) {
            Driver.eventRecord(start, dev.stream());
            launch.run();
            Driver.eventRecord(end, dev.stream());
            Driver.eventSynchronize(end);
            ms[i] = Driver.eventElapsedMillis(start, end);
        }
        Driver.eventDestroy(start);
        Driver.eventDestroy(end);
        java.util.Arrays.sort(ms);
        return ms[reps / 2];
    }
}
