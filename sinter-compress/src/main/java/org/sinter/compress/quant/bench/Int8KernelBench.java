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
 * The int8 kernels beside Sinter's float32 kernels on the layer shapes of LeNet-5 and the Lab 1
 * CNN (batch 1 and 32): median milliseconds of each and the ratio int8 / float32. Run by
 * {@code bench/quant_kernels.sh}; arguments: [threads] [seconds per case].
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
        Sinter.setNumThreads(threads);
        Sinter.manualSeed(0);
        System.out.println("int8 kernels vs Sinter float32, " + threads + " threads, " + U8Gemm.LANES + " 16-bit lanes per vector; median ms");
        System.out.println("| layer | batch | float32 | int8 (u8 out) | int8 / float32 |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        Requantize rq = Requantize.toUint8(0.05f, 0, 0, 127, true);
        int[][] linears = {{400, 120}, {9216, 128}, {128, 10}};
        String[] linNames = {"lenet fc1 400x120", "lab1 fc1 9216x128", "lab1 fc2 128x10"};
        int[][] convs = {{1, 6, 28, 5, 2}, {6, 16, 14, 5, 0}, {1, 32, 28, 3, 0}, {32, 64, 26, 3, 0}};
        String[] convNames = {"lenet conv1", "lenet conv2", "lab1 conv1", "lab1 conv2"};
        try (var _ = Sinter.noGrad()) {
            for (int batch : new int[] {1, 32}) {
                for (int i = 0; i < linears.length; i++) {
                    int k = linears[i][0], n = linears[i][1];
                    Tensor x = Tensor.rand(batch, k), w = Tensor.randn(n, k).mul(0.05), b = Tensor.randn(n);
                    Int8Linear q = new Int8Linear(weights(w), b.toFloatArray());
                    QTensor xq = activations(new int[] {batch, k});
                    row(linNames[i], batch, median(() -> F.linear(x, w, b).relu(), seconds), median(() -> q.forwardQuantized(xq, rq), seconds));
                }
                for (int i = 0; i < convs.length; i++) {
                    int cin = convs[i][0], cout = convs[i][1], size = convs[i][2], kk = convs[i][3], pad = convs[i][4];
                    Tensor x = Tensor.rand(batch, cin, size, size), w = Tensor.randn(cout, cin, kk, kk).mul(0.05), b = Tensor.randn(cout);
                    Int8Conv2d q = new Int8Conv2d(weights(w), b.toFloatArray(), new int[] {1, 1}, new int[] {pad, pad}, new int[] {1, 1});
                    QTensor xq = activations(new int[] {batch, cin, size, size});
                    row(convNames[i], batch, median(() -> F.conv2d(x, w, b, 1, pad).relu(), seconds), median(() -> q.forwardQuantized(xq, rq), seconds));
                }
            }
        }
    }

    static void row(String name, int batch, double f32, double i8) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.2f |%n", name, batch, f32, i8, i8 / f32);
    }
}
