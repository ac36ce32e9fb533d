package org.sinter.bench;

import java.util.Locale;
import java.util.Random;
import org.sinter.Sinter;
import org.sinter.kernels.gemm.Gemm;
import org.sinter.kernels.gemm.PackedB;
import org.sinter.kernels.pool.MaxPoolValues;
import org.sinter.kernels.pool.PoolKernels.MaxGeometry;

/**
 * The MLP's and LeNet-5's GEMM and pooling steps alone, as their compiled steps call them (the
 * weights pre-packed as a Linear stores them, out x in; the pools values-only, on ReLU outputs,
 * so about half the inputs are zero), each timed by its median over rounds, with GFLOP/s for the
 * products and GB/s of input read for the pools. Read the figures against the per-step profile of
 * {@link MlpProfile}: the difference is the program's own cost around the kernel.
 *
 * <p>Usage: {@code SmallStepBench [threads=2] [iters=400] [rounds=5] [warmupSeconds=2]}
 */
public final class SmallStepBench {
    private SmallStepBench() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        double warm = args.length > 3 ? Double.parseDouble(args[3]) : 2;
        Sinter.setNumThreads(threads);
        Random rnd = new Random(1);
        int[][] gemms = {{128, 784, 512}, {128, 512, 512}, {128, 512, 10}, {64, 400, 120}, {64, 120, 84}, {64, 84, 10}};
        String[] names = new String[gemms.length + 2];
        Runnable[] steps = new Runnable[gemms.length + 2];
        double[] work = new double[steps.length];
        for (int i = 0; i < gemms.length; i++) {
            int m = gemms[i][0], k = gemms[i][1], n = gemms[i][2];
            float[] a = reluGaussian(rnd, m * k), w = gaussian(rnd, k * n, 0.05f), c = new float[m * n];
            PackedB b = PackedB.pack(true, k, n, w, 0, k);
            names[i] = String.format(Locale.ROOT, "gemm %dx%dx%d", m, k, n);
            steps[i] = () -> Gemm.sgemm(false, m, a, 0, k, b, c, 0, n, null);
            work[i] = 2.0 * m * k * n;
        }
        int[][] pools = {{64 * 6, 28, 28}, {64 * 16, 10, 10}};
        for (int i = 0; i < pools.length; i++) {
            int planes = pools[i][0], h = pools[i][1], w = pools[i][2];
            MaxGeometry g = new MaxGeometry(h, w, h / 2, w / 2, 2, 2, 2, 2, 0, 0, 1, 1);
            float[] x = reluGaussian(rnd, planes * h * w), y = new float[planes * h * w / 4];
            names[gemms.length + i] = String.format(Locale.ROOT, "maxpool2x2 %dx%dx%d", planes, h, w);
            steps[gemms.length + i] = () -> MaxPoolValues.maxPool(g, planes, x, 0, y, 0);
            work[gemms.length + i] = -4.0 * x.length; // bytes read, marked negative
        }
        for (Runnable s : steps) OrtSideBySide.median(s, 50, warm, 5);
        double[][] t = new double[steps.length][rounds];
        for (int r = 0; r < rounds; r++)
            for (int i = 0; i < steps.length; i++) t[i][r] = OrtSideBySide.median(steps[i], 20, 0, iters);
        System.out.printf(Locale.ROOT, "threads %d, %d calls per round, %d rounds (median of rounds; each round's medians)%n", threads, iters, rounds);
        for (int i = 0; i < steps.length; i++) {
            double[] s = t[i].clone();
            java.util.Arrays.sort(s);
            double med = s[rounds / 2];
            String rate = work[i] > 0 ? String.format(Locale.ROOT, "%.0f GFLOP/s", work[i] / (med * 1e6))
                    : String.format(Locale.ROOT, "%.1f GB/s read", -work[i] / (med * 1e6));
            StringBuilder sb = new StringBuilder();
            for (double v : t[i]) sb.append(String.format(Locale.ROOT, " %.1f", v * 1000));
            System.out.printf(Locale.ROOT, "%-24s %8.1f us  %-16s rounds:%s%n", names[i], med * 1000, rate, sb);
        }
    }

    private static float[] gaussian(Random rnd, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian() * scale;
        return v;
    }

    /** A ReLU's output: Gaussian values with the negative half zeroed. */
    private static float[] reluGaussian(Random rnd, int n) {
        float[] v = gaussian(rnd, n, 1f);
        for (int i = 0; i < n; i++) v[i] = Math.max(0f, v[i]);
        return v;
    }
}
