package org.sinter.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.sinter.Sinter;
import org.sinter.kernels.gemm.OpenBlas;
import org.sinter.kernels.gemm.PackedB;
import org.sinter.kernels.gemm.Sgemm;

/**
 * The MLP's three products (784x512, 512x512, 512x10, weights stored out x in as a Linear keeps
 * them) at the small batches a dynamic batcher forms, on one thread: Sinter with the weight folded
 * to in x out and pre-packed (what a program compiled with frozen parameters calls), pre-packed as
 * stored (a program compiled without), on the unpacked weight (eager), and the system OpenBLAS,
 * alternating within each round so drifting load hits all four alike. Times are the
 * calling thread's CPU time per call (median over rounds), so other processes on a shared machine
 * inflate them less than wall time. OpenBLAS 0.3.21 takes this Xeon for a Prescott (SSE3) unless
 * {@code OPENBLAS_CORETYPE=SkylakeX} is set.
 *
 * <p>Usage: {@code SmallBatchGemmBench [rounds=5] [batches=1,8,16,24,32]}
 */
public final class SmallBatchGemmBench {
    private SmallBatchGemmBench() {}

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[] batches = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {1, 8, 16, 24, 32};
        Sinter.setNumThreads(1);
        boolean blas = OpenBlas.isAvailable();
        int[][] layers = {{784, 512}, {512, 512}, {512, 10}};
        Random rnd = new Random(3);
        float[][] w = new float[3][];
        PackedB[] packed = new PackedB[3], folded = new PackedB[3];
        for (int i = 0; i < 3; i++) {
            int k = layers[i][0], n = layers[i][1];
            w[i] = new float[n * k];
            for (int j = 0; j < w[i].length; j++) w[i][j] = (float) rnd.nextGaussian() * 0.05f;
            packed[i] = PackedB.pack(true, k, n, w[i], 0, k);
            float[] t = new float[k * n];
            for (int o = 0; o < n; o++) for (int p = 0; p < k; p++) t[p * n + o] = w[i][o * k + p];
            folded[i] = PackedB.pack(false, k, n, t, 0, n);
        }
        System.out.printf(Locale.ROOT, "one thread, thread CPU us per call (median of %d rounds) and GFLOP/s; OpenBLAS %s%n",
                rounds, blas ? "loaded" : "missing");
        System.out.println("| batch | product | Sinter frozen (folded, packed) | Sinter packed as stored | Sinter unpacked (eager) | OpenBLAS | frozen/OpenBLAS time |");
        System.out.println("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        for (int m : batches) {
            double[] sumP = new double[rounds], sumO = new double[rounds];
            for (int i = 0; i < 3; i++) {
                int k = layers[i][0], n = layers[i][1], li = i;
                float[] a = new float[m * k], c = new float[m * n];
                for (int j = 0; j < a.length; j++) a[j] = Math.max(0f, (float) rnd.nextGaussian());
                Runnable[] calls = {
                    () -> Sgemm.sgemm(false, m, a, 0, k, folded[li], c, 0, n, null),
                    () -> Sgemm.sgemm(false, m, a, 0, k, packed[li], c, 0, n, null),
                    () -> Sgemm.sgemm(false, true, m, n, k, 1f, a, 0, k, w[li], 0, k, 0f, c, 0, n),
                    blas ? () -> OpenBlas.sgemm(false, true, m, n, k, 1f, a, 0, k, w[li], 0, k, 0f, c, 0, n) : null,
                };
                int v = calls.length;
                double[][] t = new double[v][rounds];
                for (Runnable r : calls) if (r != null) perCall(r, 0.4);
                for (int r = 0; r < rounds; r++)
                    for (int q = 0; q < v; q++) t[q][r] = calls[q] == null ? Double.NaN : perCall(calls[q], 0.12);
                for (int r = 0; r < rounds; r++) {
                    sumP[r] += t[0][r];
                    sumO[r] += t[v - 1][r];
                }
                double flops = 2.0 * m * n * k;
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d | %dx%dx%d |", m, m, k, n));
                for (int q = 0; q < v; q++) row.append(String.format(Locale.ROOT, " %.1f us (%.0f) |", median(t[q]), flops / median(t[q]) / 1e3));
                System.out.println(row.append(String.format(Locale.ROOT, " %.2f |", ratio(t[0], t[v - 1]))));
            }
            System.out.printf(Locale.ROOT, "| %d | three, per sample | %.2f us | | | %.2f us | %.2f |%n",
                    m, median(sumP) / m, median(sumO) / m, ratio(sumP, sumO));
        }
    }

    /** Thread CPU microseconds per call over about {@code seconds} of CPU time. */
    private static double perCall(Runnable r, double seconds) {
        long budget = (long) (seconds * 1e9), t0 = MX.getCurrentThreadCpuTime(), calls = 0, t;
        do {
            for (int q = 0; q < 16; q++) r.run();
            calls += 16;
        } while ((t = MX.getCurrentThreadCpuTime() - t0) < budget);
        return t / 1e3 / calls;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double ratio(double[] num, double[] den) {
        double[] r = new double[num.length];
        for (int i = 0; i < r.length; i++) r[i] = num[i] / den[i];
        return median(r);
    }
}
