package org.sinter.bench;

import java.util.Locale;
import java.util.Random;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.models.Lab1Cnn;
import org.sinter.cli.models.LeNet5;
import org.sinter.cli.models.Mlp;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.kernels.gemm.Gemm;
import org.sinter.kernels.gemm.GemmEpilogue;
import org.sinter.kernels.gemm.PackedB;
import org.sinter.nn.Module;
import org.sinter.profiler.KeyAverages;
import org.sinter.profiler.Profiler;

/**
 * Where the compiled MLP 784-512-512-10 at batch 128 spends its time: the whole compiled call
 * beside its three GEMMs run alone on pre-packed weights (the same calls the compiled program
 * makes: weights stored out x in, as a Linear keeps them), with and without a ReLU epilogue, so the
 * difference is the program's own overhead; then the profiler's table for the compiled LeNet-5 and
 * Lab 1 CNN at batch 64 and the MLP (per-step time).
 *
 * <p>Usage: {@code MlpProfile [threads=2] [iters=200] [warmupSeconds=5] [cnn]} (cnn: the CNN tables too;
 * they run first, so the MLP's figures then come from a JIT that has seen other models)
 */
public final class MlpProfile {
    private MlpProfile() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        double warm = args.length > 2 ? Double.parseDouble(args[2]) : 5;
        boolean cnns = args.length > 3 && args[3].equals("cnn");
        Sinter.setNumThreads(threads);
        Sinter.manualSeed(0);
        Module m = new Mlp();
        m.eval();
        Tensor x = Tensor.randn(128, 1, 28, 28);
        CompiledFunction f = Compiler.compile(m, CompileOptions.defaults().withFrozenParameters());
        int[][] shapes = {{128, 784, 512}, {128, 512, 512}, {128, 512, 10}};
        float[][] a = new float[3][], c = new float[3][];
        PackedB[] b = new PackedB[3];
        Random rnd = new Random(1);
        for (int i = 0; i < 3; i++) {
            int mm = shapes[i][0], k = shapes[i][1], n = shapes[i][2];
            a[i] = new float[mm * k];
            float[] w = new float[k * n];
            for (int j = 0; j < a[i].length; j++) a[i][j] = (float) rnd.nextGaussian();
            for (int j = 0; j < w.length; j++) w[j] = (float) rnd.nextGaussian() * 0.05f;
            b[i] = PackedB.pack(true, k, n, w, 0, k); // a Linear weight: stored out x in
            c[i] = new float[mm * n];
        }
        Runnable[] gemm = new Runnable[3], gemmRelu = new Runnable[3];
        for (int i = 0; i < 3; i++) {
            final int q = i, mm = shapes[i][0], n = shapes[i][2];
            float[] ci = c[i];
            GemmEpilogue relu = (r0, nr, c0, nc) -> {
                for (int r = r0; r < r0 + nr; r++)
                    for (int j = c0; j < c0 + nc; j++) ci[r * n + j] = Math.max(0f, ci[r * n + j]);
            };
            gemm[i] = () -> Gemm.sgemm(false, mm, a[q], 0, shapes[q][1], b[q], ci, 0, n, null);
            gemmRelu[i] = () -> Gemm.sgemm(false, mm, a[q], 0, shapes[q][1], b[q], ci, 0, n, relu);
        }
        Runnable all = () -> { for (Runnable r : gemm) r.run(); };
        Runnable compiled = () -> f.call(x);
        try (var _ = Sinter.noGrad()) {
            OrtSideBySide.median(compiled, 5, warm, 5);
            for (String name : cnns ? new String[] {"lenet5", "lab1cnn"} : new String[0]) {
                Module cm = name.equals("lenet5") ? new LeNet5() : new Lab1Cnn();
                cm.eval();
                Tensor cx = Tensor.randn(64, 1, 28, 28);
                CompiledFunction cf = Compiler.compile(cm, CompileOptions.defaults().withFrozenParameters());
                double t = OrtSideBySide.median(() -> cf.call(cx), 5, warm, iters);
                try (Profiler p = Profiler.start()) {
                    for (int i = 0; i < iters; i++) cf.call(cx);
                    System.out.printf(Locale.ROOT, "%s b64 compiled %.3f ms; profile of %d calls:%n%s%n", name, t, iters,
                            p.keyAverages().table(KeyAverages.SortBy.SELF_CPU_TIME_TOTAL, 25));
                }
            }
            try (Profiler p = Profiler.start()) {
                for (int i = 0; i < iters; i++) compiled.run();
                System.out.println(p.keyAverages().table(KeyAverages.SortBy.SELF_CPU_TIME_TOTAL, 25));
            }
            OrtSideBySide.median(all, 5, warm, 5);
            for (int round = 0; round < 3; round++) {
                double tc = OrtSideBySide.median(compiled, 20, 0, iters);
                double ta = OrtSideBySide.median(all, 20, 0, iters);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 3; i++) {
                    double t = OrtSideBySide.median(gemm[i], 20, 0, iters), tr = OrtSideBySide.median(gemmRelu[i], 20, 0, iters);
                    double gf = 2.0 * shapes[i][0] * shapes[i][1] * shapes[i][2] / (t * 1e6);
                    sb.append(String.format(Locale.ROOT, "  %dx%dx%d %.3f ms (%.0f GFLOP/s), +relu %.3f", shapes[i][0], shapes[i][1], shapes[i][2], t, gf, tr));
                }
                System.out.printf(Locale.ROOT, "round %d: compiled %.3f ms, three GEMMs %.3f ms%n%s%n", round + 1, tc, ta, sb);
            }
        }
    }
}
