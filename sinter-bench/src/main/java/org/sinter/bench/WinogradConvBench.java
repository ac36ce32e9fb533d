package org.sinter.bench;

import org.sinter.Sinter;
import org.sinter.kernels.conv.PackedConv;
import org.sinter.kernels.conv.WinogradConv;

/**
 * Winograd F(2x2,3x3) and F(4x4,3x3) beside {@link PackedConv}'s direct kernel on the 3x3
 * stride-1 convolutions that dominate the Lab 1 CNN (conv2 at batch 64) and ResNet-18 (C2, C6, C9,
 * C12 at batch 1; or a batch given on the command line), with filters transformed/packed once as
 * compiled inference runs them. The paths alternate call by call in one JVM (see
 * {@link PackedConvBench#alternate}); each line gives the medians, the ratios to the direct kernel
 * and the GFLOP/s of useful work (a direct convolution's 2·K·C·9·pixels, whatever the algorithm).
 *
 * <p>{@code WinogradConvBench [threads=2] [rounds=200] [shapes=lab1_conv2,C2,C6,C9,C12] [batch=per shape] [eager|phases|chunks]}:
 * with {@code eager} the Winograd filter is transformed on every call (as eager convolution does);
 * {@code phases} ({@link WinogradPhaseProfile}) profiles the Winograd path alone, with the tile size the
 * compiler would pick; {@code chunks} compares chunk sizes on it.
 */
public final class WinogradConvBench {
    private WinogradConvBench() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2, rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String[] shapes = (args.length > 2 ? args[2] : "lab1_conv2,C2,C6,C9,C12").split(",");
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        String mode = args.length > 4 ? args[4] : "";
        boolean eager = mode.equals("eager");
        Sinter.setNumThreads(threads);
        if (mode.equals("phases")) {
            for (String shape : shapes) {
                PackedConvBench b = shape(shape, threads, batch);
                WinogradPhaseProfile.run(b.g, b.n, b.x, b.w, b.b, threads, rounds, shape);
            }
            return;
        }
        if (mode.equals("chunks")) {
            for (String shape : shapes) chunkSizes(shape(shape, threads, batch), rounds);
            return;
        }
        System.out.printf("threads %d, %s filters%n%-11s %5s %9s %9s %9s %8s %8s %9s %9s %9s%n", threads, eager ? "per-call" : "pre-packed",
                "shape", "batch", "direct ms", "F2 ms", "F4 ms", "F2/dir", "F4/dir", "dir GF/s", "F2 GF/s", "F4 GF/s");
        for (String shape : shapes) {
            PackedConvBench b = shape(shape, threads, batch);
            var g = b.g;
            float[] y2 = new float[b.y.length], y4 = new float[b.y.length];
            var f2 = WinogradConv.pack(g, b.w, 0, 2);
            var f4 = WinogradConv.pack(g, b.w, 0, 4);
            Runnable direct = () -> PackedConv.conv(g, b.n, b.x, 0, b.packed, b.b, 0, b.y, 0, null);
            Runnable w2 = () -> WinogradConv.conv(g, b.n, b.x, 0, eager ? WinogradConv.pack(g, b.w, 0, 2) : f2, b.b, 0, false, y2, 0, null);
            Runnable w4 = () -> WinogradConv.conv(g, b.n, b.x, 0, eager ? WinogradConv.pack(g, b.w, 0, 4) : f4, b.b, 0, false, y4, 0, null);
            double[] a = PackedConvBench.alternate(direct, w2, rounds), c = PackedConvBench.alternate(direct, w4, rounds);
            double dir = (a[0] + c[0]) / 2, flops = 2.0 * b.n * g.k() * g.patch() * g.outPlane();
            System.out.printf("%-11s %5d %9.3f %9.3f %9.3f %8.2f %8.2f %9.1f %9.1f %9.1f%n", shape, b.n, dir, a[1], c[1],
                    a[1] / a[0], c[1] / c[0], flops / dir / 1e6, flops / a[1] / 1e6, flops / c[1] / 1e6);
        }
    }

    /**
     * The Winograd path with the compiler's tile size at several chunk sizes, each alternated call by
     * call with the default ({@code WinogradConv.chunkRows}): 4 tile rows (what the L2 rule alone
     * gives ResNet-18's layers), enough rows for 32, 64, 128 and 256 tiles, one row, and half a sample's rows.
     */
    private static void chunkSizes(PackedConvBench b, int rounds) {
        var g = b.g;
        int m = WinogradConv.tileSize(g, b.n), tx = Math.ceilDiv(g.ow(), m), ty = Math.ceilDiv(g.oh(), m);
        var f = WinogradConv.pack(g, b.w, 0, m);
        float[] y = new float[b.y.length];
        Runnable auto = () -> WinogradConv.conv(g, b.n, b.x, 0, f, b.b, 0, false, y, 0, null, 0);
        for (int rows : new int[] {4, Math.ceilDiv(32, tx), Math.ceilDiv(64, tx), Math.ceilDiv(128, tx), Math.ceilDiv(256, tx), 1, Math.ceilDiv(ty, 2)}) {
            Runnable fixed = () -> WinogradConv.conv(g, b.n, b.x, 0, f, b.b, 0, false, y, 0, null, rows);
            double[] t = PackedConvBench.alternate(fixed, auto, rounds);
            System.out.printf("%-11s b%-3d F(%dx%d) %3d rows (%4d tiles) %8.3f ms, default %8.3f ms, ratio %5.2f%n", b.shape, b.n, m, m, rows,
                    Math.min(rows, b.n * ty) * tx, t[0], t[1], t[0] / t[1]);
        }
    }

    /** The operands of {@code shape} ({@link PackedConvBench#spec}), at {@code batch} samples where it is positive. */
    static PackedConvBench shape(String shape, int threads, int batch) {
        PackedConvBench b = new PackedConvBench();
        b.shape = shape;
        b.threads = threads;
        b.path = "packed";
        b.setup();
        if (batch > 0 && batch != b.n) {
            b.n = batch;
            b.x = java.util.Arrays.copyOf(b.x, batch * b.g.c() * b.g.inPlane());
            b.y = new float[batch * b.g.k() * b.g.outPlane()];
        }
        return b;
    }
}
