package org.sinter.compress.quant.bench;

import java.util.Arrays;
import java.util.Locale;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;
import org.sinter.compress.quant.kernels.Int8Conv2d;
import org.sinter.compress.quant.kernels.Int8Linear;
import org.sinter.compress.quant.kernels.Requantize;
import org.sinter.compress.quant.kernels.U8Gemm;
import org.sinter.nn.functional.F;

/**
 * The int8 kernels beside Sinter's float32 kernels on the layer shapes of LeNet-5, the Lab 1 CNN
 * and ResNet-18 on 28x28 inputs (batch 1 and 32): median milliseconds of each and the ratio int8 /
 * float32; convolutions both ways (direct where it applies, and im2col + U8Gemm). Each case is
 * timed in {@code rounds} interleaved rounds and the median of the rounds' medians printed. Run by
 * {@code bench/quant_kernels.sh}; arguments: [threads] [seconds per case and round] [rounds].
 */
public final class Int8KernelBench {
    private Int8KernelBench() {}

    interface Body { void run(); }

    static double median(Body b, double seconds) {
        long warm = System.nanoTime() + (long) (seconds * 0.4e9);
        while (System.nanoTime() < warm) b.run();
        double[] t = new double[100_000];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while ((System.nanoTime() < end || n < 5) && n < t.length) {
            long s = System.nanoTime();
            b.run();
            t[n++] = (System.nanoTime() - s) / 1e6;
        }
        double[] r = Arrays.copyOf(t, n);
        Arrays.sort(r);
        return r[n / 2];
    }

    static QTensor activations(int[] shape) {
        Tensor x = Tensor.rand(shape);
        return QTensor.quantize(x, QParams.perTensor(1f / 127, 0, QDType.QUINT8, 0, 127));
    }

    static QTensor weights(Tensor w) {
        int c = w.size(0);
        float[] s = new float[c];
        Arrays.fill(s, 0.01f);
        return QTensor.quantize(w, new QParams(s, new int[c], 0, QDType.QINT8, -128, 127));
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Sinter.setNumThreads(threads);
        Sinter.manualSeed(0);
        System.out.println("int8 kernels vs Sinter float32, " + threads + " threads, " + U8Gemm.LANES + " 16-bit lanes per vector; median ms of "
                + rounds + " rounds' medians");
        System.out.println("| layer | batch | float32 | int8 (u8 out) | int8 im2col | int8 / float32 | im2col / float32 |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        Requantize rq = Requantize.toUint8(0.05f, 0, 0, 127, true);
        int[][] linears = {{400, 120}, {9216, 128}, {128, 10}};
        String[] linNames = {"lenet fc1 400x120", "lab1 fc1 9216x128", "lab1 fc2 128x10"};
        // {cin, cout, size, kernel, pad, stride}
        int[][] convs = {{1, 6, 28, 5, 2, 1}, {6, 16, 14, 5, 0, 1}, {1, 32, 28, 3, 0, 1}, {32, 64, 26, 3, 0, 1},
            {1, 64, 28, 7, 3, 2}, {64, 64, 7, 3, 1, 1}, {64, 128, 7, 3, 1, 2}, {128, 128, 4, 3, 1, 1}, {256, 256, 2, 3, 1, 1}};
        String[] convNames = {"lenet conv1", "lenet conv2", "lab1 conv1", "lab1 conv2", "resnet conv1 7x7/2", "resnet layer1 3x3",
            "resnet layer2.0 3x3/2", "resnet layer2 3x3", "resnet layer3 3x3"};
        try (var _ = Sinter.noGrad()) {
            for (int batch : new int[] {1, 32}) {
                for (int i = 0; i < linears.length; i++) {
                    int k = linears[i][0], n = linears[i][1];
                    Tensor x = Tensor.rand(batch, k), w = Tensor.randn(n, k).mul(0.05), b = Tensor.randn(n);
                    Int8Linear q = new Int8Linear(weights(w), b.toFloatArray());
                    QTensor xq = activations(new int[] {batch, k});
                    double[][] t = rounds(rounds, seconds, () -> F.linear(x, w, b).relu(), () -> q.forwardQuantized(xq, rq), null);
                    row(linNames[i], batch, t[0], t[1], null);
                }
                for (int i = 0; i < convs.length; i++) {
                    int cin = convs[i][0], cout = convs[i][1], size = convs[i][2], kk = convs[i][3], pad = convs[i][4], st = convs[i][5];
                    Tensor x = Tensor.rand(batch, cin, size, size), w = Tensor.randn(cout, cin, kk, kk).mul(0.05), b = Tensor.randn(cout);
                    Int8Conv2d q = new Int8Conv2d(weights(w), b.toFloatArray(), new int[] {st, st}, new int[] {pad, pad}, new int[] {1, 1});
                    QTensor xq = activations(new int[] {batch, cin, size, size});
                    String name = convNames[i] + (q.direct(xq.qparams(), size, size) ? " (direct)" : " (im2col)");
                    double[][] t = rounds(rounds, seconds, () -> F.conv2d(x, w, b, st, pad).relu(), () -> q.forwardQuantized(xq, rq),
                            () -> q.forwardQuantized(xq, rq, false));
                    row(name, batch, t[0], t[1], t[2]);
                }
            }
        }
    }

    /** Per round, the median of each body in turn (a null body is skipped); returns {@code [body][round]}. */
    static double[][] rounds(int rounds, double seconds, Body... bodies) {
        double[][] t = new double[bodies.length][rounds];
        for (int r = 0; r < rounds; r++)
            for (int b = 0; b < bodies.length; b++) if (bodies[b] != null) t[b][r] = median(bodies[b], seconds);
        return t;
    }

    static double mid(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Medians over rounds; the ratios are medians of the per-round ratios (each pair measured back to back). */
    static void row(String name, int batch, double[] f32, double[] i8, double[] im2col) {
        double[] r = new double[f32.length], ri = new double[f32.length];
        for (int k = 0; k < f32.length; k++) {
            r[k] = i8[k] / f32[k];
            if (im2col != null) ri[k] = im2col[k] / f32[k];
        }
        System.out.printf(Locale.ROOT, "| %s | %d | %.4f | %.4f | %s | %.2f | %s |%n", name, batch, mid(f32), mid(i8),
                im2col == null ? "" : String.format(Locale.ROOT, "%.4f", mid(im2col)), mid(r), im2col == null ? "" : String.format(Locale.ROOT, "%.2f", mid(ri)));
    }
}
