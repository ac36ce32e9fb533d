package org.sinter.kernels;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.sinter.kernels.conv.ChannelsLastConv;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.PackedConv;
import org.sinter.kernels.conv.WinogradConv;
import org.sinter.kernels.gemm.Gemm;
import org.sinter.kernels.gemm.PackedB;

/**
 * Runs kernels one after another in one process and prints, per kernel, its steady-state time and
 * the bytes it allocates per call: a Vector API kernel the JIT compiled with its vectors boxed
 * allocates megabytes a call where a healthy one allocates a few kilobytes (its scratch tiles), and
 * whether that happens depends on what ran before it in the process ({@link ExactVectors}).
 *
 * <p>{@code java ... KernelJitStates [--seconds S | --calls N] WORKLOAD...}; workloads: {@code c1}
 * to {@code c12} (ResNet-18's convolutions at batch 1, through the built-in kernel the compiler
 * would pick: Winograd for 3x3 stride 1, else {@link PackedConv}) and {@code g:M:N:K} (a float
 * GEMM), {@code p:M:N:K} (the same against a pre-packed B, as a compiled linear layer runs it); {@code d2} .. {@code d12}: the same layer through {@link PackedConv} even where Winograd
 * would run; {@code x:N:C:H:K:R:S:P}: any
 * square convolution at batch N (also with the {@code d}/{@code l} prefixes: {@code dx:...}); {@code pool}: the stem's 3x3 stride-2 max pool. {@code --flush MB} sweeps a buffer of MB mebibytes before each (untimed) call, so
 * weights come from memory as in a whole model. With {@code --seconds} each runs that long and the last third is measured; with
 * {@code --calls} each runs N calls and the last quarter is measured. Output: one line per
 * workload, {@code name median_ms calls bytes_per_call}.
 */
public final class KernelJitStates {
    private KernelJitStates() {}

    /** The last call's own time when {@code --flush} sweeps the caches before it. */
    private static long sweptNanos;
    /** Keeps the sweep's reads live. */
    static volatile float sink;

    public static void main(String[] args) {
        double seconds = 0;
        int calls = 0;
        float[] flush = null;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--flush" -> flush = new float[Integer.parseInt(args[++i]) << 18];
                default -> names.add(args[i]);
            }
        }
        if (seconds <= 0 && calls <= 0) seconds = 4;
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random random = new Random(1);
        for (String name : names) {
            Runnable kernel = workload(name, random);
            float[] evict = flush;
            // With --flush, each call first reads through a buffer larger than the caches, so the kernel reads its
            // weights from memory as in a whole model (untimed: the sweep is outside the measured call).
            Runnable run = evict == null ? kernel : () -> {
                float sum = 0;
                for (int j = 0; j < evict.length; j += 16) sum += evict[j];
                sink += sum;
                long t0 = System.nanoTime();
                kernel.run();
                sweptNanos = System.nanoTime() - t0;
            };
            List<Double> tail = new ArrayList<>();
            long alloc0 = 0;
            if (calls > 0) {
                int measured = Math.max(1, calls / 4);
                for (int i = 0; i < calls; i++) {
                    if (i == calls - measured) alloc0 = mx.getTotalThreadAllocatedBytes();
                    long t = System.nanoTime();
                    run.run();
                    if (i >= calls - measured) tail.add((evict == null ? System.nanoTime() - t : sweptNanos) / 1e6);
                }
            } else {
                long start = System.nanoTime(), end = start + (long) (seconds * 1e9), tailFrom = start + (long) (seconds * 2e9 / 3);
                boolean inTail = false;
                for (long t = System.nanoTime(); t < end; t = System.nanoTime()) {
                    if (!inTail && t >= tailFrom) {
                        inTail = true;
                        alloc0 = mx.getTotalThreadAllocatedBytes();
                    }
                    run.run();
                    if (inTail) tail.add((evict == null ? System.nanoTime() - t : sweptNanos) / 1e6);
                }
            }
            long bytesPerCall = tail.isEmpty() ? -1 : (mx.getTotalThreadAllocatedBytes() - alloc0) / tail.size();
            Collections.sort(tail);
            double median = tail.isEmpty() ? Double.NaN : tail.get(tail.size() / 2);
            System.out.printf("%s %.4f %d %d%n", name, median, tail.size(), bytesPerCall);
        }
    }

    private static ConvGeometry same(int c, int h, int k, int kernel, int stride) {
        int p = kernel / 2, o = ConvGeometry.outSize(h, p, p, kernel, stride, 1);
        return new ConvGeometry(c, h, h, k, o, o, kernel, kernel, stride, stride, p, p, 1, 1, 1);
    }

    private static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static Runnable workload(String name, Random r) {
        if (name.equals("pool")) {
            // ResNet-18's stem pool: 3x3 stride 2 padding 1 over 64 planes of 112x112 ReLU outputs.
            var g = new org.sinter.kernels.pool.PoolKernels.MaxGeometry(112, 112, 56, 56, 3, 3, 2, 2, 1, 1, 1, 1);
            float[] x = gaussian(r, 64 * 112 * 112), y = new float[64 * 56 * 56];
            for (int i = 0; i < x.length; i++) x[i] = Math.max(x[i], 0f);
            return () -> org.sinter.kernels.pool.MaxPoolValues.maxPool(g, 64, x, 0, y, 0);
        }
        if (name.startsWith("g:")) {
            String[] p = name.split(":");
            int m = Integer.parseInt(p[1]), n = Integer.parseInt(p[2]), k = Integer.parseInt(p[3]);
            float[] a = gaussian(r, m * k), b = gaussian(r, k * n), c = new float[m * n];
            return () -> Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        }
        if (name.startsWith("p:")) {
            String[] p = name.split(":");
            int m = Integer.parseInt(p[1]), n = Integer.parseInt(p[2]), k = Integer.parseInt(p[3]);
            float[] a = gaussian(r, m * k), c = new float[m * n];
            PackedB b = PackedB.pack(false, k, n, gaussian(r, k * n), 0, n);
            return () -> Gemm.sgemm(false, m, a, 0, k, b, c, 0, n, null);
        }
        // "d9": layer c9 through the direct kernel even where Winograd would run; "l9": through the channels-last one.
        boolean direct = name.startsWith("d"), channelsLast = name.startsWith("l");
        if (direct || channelsLast) name = name.startsWith("x:", 1) ? name.substring(1) : "c" + name.substring(1);
        int batch = 1;
        ConvGeometry g;
        if (name.startsWith("x:")) {
            // "x:N:C:H:K:R:S:P": batch N, C->K channels, H x H input, R x R kernel, stride S, padding P.
            String[] p = name.split(":");
            batch = Integer.parseInt(p[1]);
            int c = Integer.parseInt(p[2]), h = Integer.parseInt(p[3]), k = Integer.parseInt(p[4]);
            int kernel = Integer.parseInt(p[5]), stride = Integer.parseInt(p[6]), pad = Integer.parseInt(p[7]);
            int o = ConvGeometry.outSize(h, pad, pad, kernel, stride, 1);
            g = new ConvGeometry(c, h, h, k, o, o, kernel, kernel, stride, stride, pad, pad, 1, 1, 1);
        } else g = switch (name) {
            case "c1" -> same(3, 224, 64, 7, 2);
            case "c2" -> same(64, 56, 64, 3, 1);
            case "c3" -> same(64, 56, 64, 1, 1);
            case "c4" -> same(64, 56, 128, 3, 2);
            case "c5" -> same(64, 56, 128, 1, 2);
            case "c6" -> same(128, 28, 128, 3, 1);
            case "c7" -> same(128, 28, 256, 3, 2);
            case "c8" -> same(128, 28, 256, 1, 2);
            case "c9" -> same(256, 14, 256, 3, 1);
            case "c10" -> same(256, 14, 512, 3, 2);
            case "c11" -> same(256, 14, 512, 1, 2);
            case "c12" -> same(512, 7, 512, 3, 1);
            default -> throw new IllegalArgumentException("KernelJitStates: unknown workload " + name + " (c1..c12, x:N:C:H:K:R:S:P, g:M:N:K or p:M:N:K)");
        };
        final int n = batch;
        float[] w = gaussian(r, g.k() * g.c() * g.kh() * g.kw()), x = gaussian(r, n * g.c() * g.h() * g.w()), y = new float[n * g.k() * g.oh() * g.ow()];
        if (channelsLast) {
            ChannelsLastConv.Filter f = ChannelsLastConv.pack(g, w, 0);
            float[] ref = new float[y.length];
            PackedConv.conv(g, n, x, 0, PackedConv.pack(g, w, 0), null, 0, ref, 0, null);
            ChannelsLastConv.conv(g, n, x, 0, f, null, 0, y, 0, null);
            double err = 0;
            for (int i = 0; i < y.length; i++) err = Math.max(err, Math.abs(y[i] - ref[i]));
            System.err.println(name + " channels-last vs packed: max |diff| " + err);
            return () -> ChannelsLastConv.conv(g, n, x, 0, f, null, 0, y, 0, null);
        }
        if (!direct && WinogradConv.applies(g)) {
            WinogradConv.Filter f = WinogradConv.pack(g, n, w, 0);
            return () -> WinogradConv.conv(g, n, x, 0, f, null, 0, false, y, 0, null);
        }
        if (g.pointwise() && n > 1) throw new IllegalArgumentException("KernelJitStates: a 1x1 stride-1 convolution runs as a GEMM; give it as g:M:N:K");
        if (g.pointwise()) {
            return () -> Gemm.sgemm(false, false, g.k(), g.oh() * g.ow(), g.c(), 1f, w, 0, g.c(), x, 0, g.oh() * g.ow(), 0f, y, 0, g.oh() * g.ow());
        }
        PackedConv.Filter f = PackedConv.pack(g, w, 0);
        return () -> PackedConv.conv(g, n, x, 0, f, null, 0, y, 0, null);
    }
}
