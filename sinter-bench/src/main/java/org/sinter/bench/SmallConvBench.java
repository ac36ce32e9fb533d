package org.sinter.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.ConvKernels;
import org.sinter.kernels.conv.OneChannelConv;
import org.sinter.kernels.conv.PackedConv;

/**
 * The zoo's small-image convolutions (LeNet-5 and the Lab 1 CNN at batch 64, their first layers
 * also at batch 1) by every forward kernel that can run each: im2col + GEMM, {@link PackedConv}
 * (filter packed once, as compiled inference runs it) and {@link OneChannelConv}. The paths
 * alternate call by call in one JVM, so load on a shared machine hits them alike; prints each path's
 * median, its GFLOP/s and the ratio to im2col.
 *
 * <p>Usage: {@code SmallConvBench [threads=2] [rounds=200] [shapes=all]}
 */
public final class SmallConvBench {
    private SmallConvBench() {}

    /** batch, in, out, input size, kernel, padding (stride 1). */
    static int[] spec(String shape) {
        return switch (shape) {
            case "lenet_conv1" -> new int[] {64, 1, 6, 28, 5, 2};
            case "lenet_conv1_b1" -> new int[] {1, 1, 6, 28, 5, 2};
            case "lenet_conv2" -> new int[] {64, 6, 16, 14, 5, 0};
            case "lab1_conv1" -> new int[] {64, 1, 32, 28, 3, 0};
            case "lab1_conv1_b1" -> new int[] {1, 1, 32, 28, 3, 0};
            case "lab1_conv2" -> new int[] {64, 32, 64, 26, 3, 0};
            default -> throw new IllegalArgumentException("SmallConvBench: unknown shape " + shape);
        };
    }

    record Path(String name, Runnable run) {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2, rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String[] shapes = args.length > 2 ? args[2].split(",")
                : new String[] {"lenet_conv1", "lenet_conv1_b1", "lenet_conv2", "lab1_conv1", "lab1_conv1_b1", "lab1_conv2"};
        Sinter.setNumThreads(threads);
        System.out.printf("%-15s %-11s %10s %9s %12s%n", "shape", "path", "median ms", "GFLOP/s", "/ im2col");
        for (String shape : shapes) {
            int[] s = spec(shape);
            int n = s[0], out = ConvGeometry.outSize(s[3], s[5], s[5], s[4], 1, 1);
            var g = new ConvGeometry(s[1], s[3], s[3], s[2], out, out, s[4], s[4], 1, 1, s[5], s[5], 1, 1, 1);
            Random r = new Random(0);
            float[] x = gaussian(n * g.c() * g.inPlane(), r), w = gaussian(g.k() * g.patch(), r), b = gaussian(g.k(), r);
            float[] y = new float[n * g.k() * g.outPlane()];
            List<Path> paths = new ArrayList<>();
            paths.add(new Path("im2col", () -> ConvKernels.convIm2col(DType.FLOAT32, g, n, x, 0, w, 0, b, 0, y, 0)));
            if (PackedConv.applies(g)) {
                PackedConv.Filter f = PackedConv.pack(g, w, 0);
                paths.add(new Path("packed", () -> PackedConv.conv(g, n, x, 0, f, b, 0, y, 0, null)));
            }
            if (OneChannelConv.applies(g)) {
                OneChannelConv.Filter f = OneChannelConv.pack(g, w, 0);
                paths.add(new Path("onechannel", () -> OneChannelConv.conv(g, n, x, 0, f, b, 0, false, y, 0, null)));
            }
            double[] ms = alternate(paths, rounds);
            double flops = 2.0 * n * g.k() * g.patch() * g.outPlane();
            for (int i = 0; i < paths.size(); i++) {
                System.out.printf(Locale.ROOT, "%-15s %-11s %10.4f %9.1f %12.2f%n", shape, paths.get(i).name(), ms[i], flops / ms[i] / 1e6, ms[i] / ms[0]);
            }
        }
    }

    private static float[] gaussian(int n, Random r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** Runs the paths in turn, call by call, after a warm-up of a quarter of the rounds; each one's median in ms. */
    static double[] alternate(List<Path> paths, int rounds) {
        long[][] t = new long[paths.size()][rounds];
        for (int i = 0; i < rounds / 4 + 20; i++) for (Path p : paths) p.run().run();
        for (int i = 0; i < rounds; i++) {
            for (int j = 0; j < paths.size(); j++) {
                long t0 = System.nanoTime();
                paths.get(j).run().run();
                t[j][i] = System.nanoTime() - t0;
            }
        }
        double[] ms = new double[paths.size()];
        for (int j = 0; j < ms.length; j++) {
            java.util.Arrays.sort(t[j]);
            ms[j] = t[j][rounds / 2] / 1e6;
        }
        return ms;
    }
}
