package org.sinter.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import org.sinter.kernels.Parallel;
import org.sinter.kernels.gemm.OpenBlas;
import org.sinter.kernels.gemm.Sgemm;

/**
 * Sinter's Java SGEMM against the system OpenBLAS in one process, alternating every quarter
 * second: on a machine shared with other work the load drifts between two JMH forks, but hardly
 * within one round, so the median of per-round ratios is the steadier comparison.
 *
 * <p>Usage: {@code GemmInterleaved THREADS ROUNDS MxKxN[T]...}; prints one Markdown row per shape.
 * A trailing {@code T} stores B transposed (n x k, as a linear layer's weight: {@code x Wᵀ}).
 */
public final class GemmInterleaved {
    private GemmInterleaved() {}

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]), rounds = Integer.parseInt(args[1]);
        Parallel.setNumThreads(threads);
        boolean blas = OpenBlas.isAvailable();
        System.out.printf("%n%d threads, in-process, Java and OpenBLAS alternating every ~0.25 s, %d rounds after 3 warm-up"
                + " rounds: median GFLOP/s and median of per-round ratios%n%n", threads, rounds);
        System.out.println("| shape | Sinter Java | Sinter->OpenBLAS | Java/OpenBLAS |");
        System.out.println("| --- | ---: | ---: | ---: |");
        Random r = new Random(42);
        for (int i = 2; i < args.length; i++) {
            boolean tb = args[i].endsWith("T");
            String[] s = (tb ? args[i].substring(0, args[i].length() - 1) : args[i]).split("x");
            int m = Integer.parseInt(s[0]), k = Integer.parseInt(s[1]), n = Integer.parseInt(s[2]);
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            int ldb = tb ? k : n;
            for (int j = 0; j < a.length; j++) a[j] = r.nextFloat() - 0.5f;
            for (int j = 0; j < b.length; j++) b[j] = r.nextFloat() - 0.5f;
            double flops = 2.0 * m * n * k;
            int reps = (int) Math.max(1, 2.5e10 / flops); // ~0.25 s at 100 GFLOP/s
            double[] java = new double[rounds], open = new double[rounds], ratio = new double[rounds];
            for (int round = -3; round < rounds; round++) {
                double gj = time(reps, flops, () -> Sgemm.sgemm(false, tb, m, n, k, 1f, a, 0, k, b, 0, ldb, 0f, c, 0, n));
                double go = blas ? time(reps, flops, () -> OpenBlas.sgemm(false, tb, m, n, k, 1f, a, 0, k, b, 0, ldb, 0f, c, 0, n)) : Double.NaN;
                if (round >= 0) {
                    java[round] = gj;
                    open[round] = go;
                    ratio[round] = gj / go;
                }
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |%n", args[i], median(java), median(open), median(ratio));
        }
    }

    private static double time(int reps, double flops, Runnable call) {
        long t0 = System.nanoTime();
        for (int q = 0; q < reps; q++) call.run();
        return flops * reps / (System.nanoTime() - t0);
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
