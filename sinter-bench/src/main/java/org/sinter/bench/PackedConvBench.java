package org.sinter.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.ConvKernels;
import org.sinter.kernels.conv.PackedConv;

/**
 * Forward float32 convolution by the two kernels that can run a many-channel layer: im2col + GEMM
 * and {@link PackedConv}'s direct kernel over a filter packed once (as compiled inference runs it),
 * on ResNet-18's convolutions at batch 1 (those that are not pointwise) and the Lab 1 CNN's second
 * convolution at batch 64.
 * JMH runs each path in its own fork, one after the other; on a shared machine {@link #main} is
 * fairer: it alternates the two paths call by call in one JVM and prints each one's median and the
 * ratio ({@code bench/packed_conv.sh} runs it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PackedConvBench {
    @Param({"C1", "C2", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12", "lab1_conv2"})
    public String shape;

    @Param({"im2col", "packed"})
    public String path;

    @Param({"2"})
    public int threads;

    ConvGeometry g;
    int n;
    float[] x, w, b, y;
    PackedConv.Filter packed;

    /**
     * batch, in, out, input size, kernel, stride, padding: ResNet-18's convolutions as the AutoTVM
     * paper numbers them (C3, the 1x1 stride-1 one, is pointwise: a plain GEMM, no direct kernel),
     * and the Lab 1 CNN's conv2 at batch 64.
     */
    static int[] spec(String shape) {
        return switch (shape) {
            case "C1" -> new int[] {1, 3, 64, 224, 7, 2, 3};
            case "C2" -> new int[] {1, 64, 64, 56, 3, 1, 1};
            case "C4" -> new int[] {1, 64, 128, 56, 3, 2, 1};
            case "C5" -> new int[] {1, 64, 128, 56, 1, 2, 0};
            case "C6" -> new int[] {1, 128, 128, 28, 3, 1, 1};
            case "C7" -> new int[] {1, 128, 256, 28, 3, 2, 1};
            case "C8" -> new int[] {1, 128, 256, 28, 1, 2, 0};
            case "C9" -> new int[] {1, 256, 256, 14, 3, 1, 1};
            case "C10" -> new int[] {1, 256, 512, 14, 3, 2, 1};
            case "C11" -> new int[] {1, 256, 512, 14, 1, 2, 0};
            case "C12" -> new int[] {1, 512, 512, 7, 3, 1, 1};
            case "lab1_conv2" -> new int[] {64, 32, 64, 26, 3, 1, 0};
            default -> throw new IllegalArgumentException("PackedConvBench: unknown shape " + shape);
        };
    }

    @Setup(Level.Trial)
    public void setup() {
        Sinter.setNumThreads(threads);
        int[] s = spec(shape);
        n = s[0];
        int out = ConvGeometry.outSize(s[3], s[6], s[6], s[4], s[5], 1);
        g = new ConvGeometry(s[1], s[3], s[3], s[2], out, out, s[4], s[4], s[5], s[5], s[6], s[6], 1, 1, 1);
        java.util.Random r = new java.util.Random(0);
        x = new float[n * g.c() * g.inPlane()];
        w = new float[g.k() * g.patch()];
        b = new float[g.k()];
        y = new float[n * g.k() * g.outPlane()];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        packed = PackedConv.pack(g, w, 0);
    }

    @Benchmark
    public float[] forward() {
        if (path.equals("packed")) PackedConv.conv(g, n, x, 0, packed, b, 0, y, 0, null);
        else ConvKernels.convIm2col(DType.FLOAT32, g, n, x, 0, w, 0, b, 0, y, 0);
        return y;
    }

    /** Runs {@code first} and {@code second} alternately (after a JIT warm-up); returns each one's median in ms. */
    static double[] alternate(Runnable first, Runnable second, int rounds) {
        long[] a = new long[rounds], b = new long[rounds];
        for (int i = 0; i < rounds / 4; i++) {
            first.run();
            second.run();
        }
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            first.run();
            long t1 = System.nanoTime();
            second.run();
            a[i] = t1 - t0;
            b[i] = System.nanoTime() - t1;
        }
        java.util.Arrays.sort(a);
        java.util.Arrays.sort(b);
        return new double[] {a[rounds / 2] / 1e6, b[rounds / 2] / 1e6};
    }

    /**
     * {@code PackedConvBench [threads=2] [rounds=200] [shapes=all]}: both paths alternated per call;
     * medians and packed/im2col, then the same for the unit-stride convolutions' input gradients.
     */
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2, rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String[] shapes = args.length > 2 ? args[2].split(",")
                : new String[] {"C1", "C2", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12", "lab1_conv2"};
        System.out.printf("%-12s %10s %10s %14s %15s%n", "shape", "im2col ms", "packed ms", "packed/im2col", "packed GFLOP/s");
        for (String shape : shapes) {
            PackedConvBench im2col = new PackedConvBench(), packed = new PackedConvBench();
            im2col.shape = packed.shape = shape;
            im2col.threads = packed.threads = threads;
            im2col.path = "im2col";
            packed.path = "packed";
            im2col.setup();
            packed.setup();
            double[] ms = alternate(im2col::forward, packed::forward, rounds);
            double flops = 2.0 * packed.n * packed.g.k() * packed.g.patch() * packed.g.outPlane();
            System.out.printf("%-12s %10.3f %10.3f %14.2f %15.1f%n", shape, ms[0], ms[1], ms[1] / ms[0], flops / ms[1] / 1e6);
        }
        System.out.printf("%ninput gradient (the transpose; unit stride only)%n%-12s %10s %10s %14s%n", "shape", "col2im ms", "packed ms", "packed/col2im");
        for (String shape : shapes) {
            PackedConvBench b = new PackedConvBench();
            b.shape = shape;
            b.threads = threads;
            b.path = "packed";
            b.setup();
            ConvGeometry t = PackedConv.transposed(b.g);
            if (t == null) continue;
            PackedConv.Filter ft = PackedConv.packTransposed(b.g, b.w, 0);
            float[] gx = new float[b.x.length];
            double[] ms = alternate(() -> ConvKernels.convTransposeIm2col(DType.FLOAT32, b.g, b.n, b.y, 0, b.w, 0, null, 0, gx, 0),
                    () -> PackedConv.conv(t, b.n, b.y, 0, ft, null, 0, gx, 0, null), rounds);
            System.out.printf("%-12s %10.3f %10.3f %14.2f%n", shape, ms[0], ms[1], ms[1] / ms[0]);
        }
    }
}
