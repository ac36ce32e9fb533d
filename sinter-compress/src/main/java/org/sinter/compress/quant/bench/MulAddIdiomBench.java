package org.sinter.compress.quant.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.sinter.Sinter;
import org.sinter.compress.quant.QDType;
import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;
import org.sinter.compress.quant.kernels.Int8Conv2d;
import org.sinter.compress.quant.kernels.Requantize;

/**
 * Whether HotSpot's auto-vectorized 16-bit multiply-add idiom could carry an int8 convolution
 * faster than the exact-float kernel it runs on now. C2 turns
 * {@code out[i] += a[2i]*b[2i] + a[2i+1]*b[2i+1]} (short operands, int out) into {@code vpmaddwd},
 * fused with the add into {@code vpdpwssd} where AVX-512 VNNI is present (JDK-8214751): 32
 * multiply-accumulates per 512-bit instruction against a float FMA's 16. But the idiom keeps its
 * accumulators in memory (a load and a store of {@code out} per vector), and a convolution laid out
 * for it needs one operand broadcast along {@code i}, which costs a buffer fill per (channel, tap
 * pair). This probe measures the idiom's upper bound (both operands already laid out, {@code out}
 * one 576-pixel row in L1: the Lab 1 CNN's conv2 plane), the dot-product forms a GEMM would use
 * (reductions, one and four accumulators), and the int8 convolution as it runs now
 * ({@link Int8Conv2d}, exact float lanes) on the Lab 1 conv2 shape at batch 1, in multiply-accumulates
 * per nanosecond of the calling thread's CPU time, one intra-op thread. Run it as well with
 * {@code -XX:UseAVX=2} (no VNNI: {@code vpmaddwd} + {@code vpaddd}).
 *
 * <p>Usage: {@code MulAddIdiomBench [windows=15] [seconds per window=0.3]}; prints the median and
 * best window of each.
 */
public final class MulAddIdiomBench {
    private MulAddIdiomBench() {}

    static final int K = 288, COUT = 64, PIX = 576;

    /** The idiom: out[i] += a[2i]·b[2i] + a[2i+1]·b[2i+1]. */
    static void streaming(int[] out, short[] a, short[] b, int n) {
        for (int i = 0; i < n; i++) out[i] += a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1];
    }

    /** The idiom as a dot product (a reduction). */
    static int dot(short[] a, int ao, short[] b, int bo, int pairs) {
        int s = 0;
        for (int i = 0; i < pairs; i++) s += a[ao + 2 * i] * b[bo + 2 * i] + a[ao + 2 * i + 1] * b[bo + 2 * i + 1];
        return s;
    }

    /** Four dot products sharing one operand (four independent reductions). */
    static void dot4(short[] w, int w0, int stride, short[] x, int xo, int pairs, int[] out, int oo) {
        int s0 = 0, s1 = 0, s2 = 0, s3 = 0, w1 = w0 + stride, w2 = w1 + stride, w3 = w2 + stride;
        for (int i = 0; i < pairs; i++) {
            int a = 2 * i;
            s0 += w[w0 + a] * x[xo + a] + w[w0 + a + 1] * x[xo + a + 1];
            s1 += w[w1 + a] * x[xo + a] + w[w1 + a + 1] * x[xo + a + 1];
            s2 += w[w2 + a] * x[xo + a] + w[w2 + a + 1] * x[xo + a + 1];
            s3 += w[w3 + a] * x[xo + a] + w[w3 + a + 1] * x[xo + a + 1];
        }
        out[oo] = s0;
        out[oo + 1] = s1;
        out[oo + 2] = s2;
        out[oo + 3] = s3;
    }

    interface Body { long run(); }

    /** Multiply-accumulates per ns of thread CPU time in each window; returns {median, best}. */
    static double[] rate(Body b, int windows, double seconds) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long warm = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warm) b.run();
        double[] r = new double[windows];
        for (int w = 0; w < windows; w++) {
            long macs = 0, t0 = bean.getCurrentThreadCpuTime(), end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) macs += b.run();
            r[w] = macs / (double) (bean.getCurrentThreadCpuTime() - t0);
        }
        Arrays.sort(r);
        return new double[] {r[windows / 2], r[windows - 1]};
    }

    public static void main(String[] args) {
        int windows = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 0.3;
        Sinter.setNumThreads(1);
        SplittableRandom r = new SplittableRandom(1);
        short[] w = new short[COUT * K], x = new short[PIX * K];
        for (int i = 0; i < w.length; i++) w[i] = (short) r.nextInt(-127, 128);
        for (int i = 0; i < x.length; i++) x[i] = (short) r.nextInt(0, 128);
        int[] out = new int[COUT * PIX], row = new int[PIX];
        short[] a = Arrays.copyOf(x, 2 * PIX), b = Arrays.copyOfRange(x, 2 * PIX, 4 * PIX);
        // The int8 convolution as it runs: quint8 [1, 32, 26, 26] (7-bit, as PyTorch's x86 default) x qint8 [64, 32, 3, 3].
        byte[] wb = new byte[COUT * K], xb = new byte[32 * 26 * 26];
        for (int i = 0; i < wb.length; i++) wb[i] = (byte) r.nextInt(-127, 128);
        for (int i = 0; i < xb.length; i++) xb[i] = (byte) r.nextInt(0, 128);
        float[] ws = new float[COUT];
        Arrays.fill(ws, 0.002f);
        Int8Conv2d conv = new Int8Conv2d(new QTensor(wb, new int[] {COUT, 32, 3, 3}, new QParams(ws, new int[COUT], 0, QDType.QINT8, -128, 127)),
                null, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1});
        QTensor in = new QTensor(xb, new int[] {1, 32, 26, 26}, QParams.perTensor(0.02f, 0, QDType.QUINT8, 0, 127));
        Requantize e = Requantize.toUint8(0.05f, 0, 0, 127, true);
        System.out.printf(Locale.ROOT, "vector: %s; multiply-accumulates per ns of thread CPU time (median / best of %d windows of %.1f s)%n",
                jdk.incubator.vector.ShortVector.SPECIES_PREFERRED, windows, seconds);
        Object[][] cases = {
            {"idiom, streaming out[i] += pair (upper bound: operands laid out, out in L1)", (Body) () -> {
                for (int rep = 0; rep < 64; rep++) streaming(row, a, b, PIX);
                return 64L * 2 * PIX;
            }},
            {"idiom as a dot product, one reduction (a GEMM with K contiguous)", (Body) () -> {
                for (int co = 0; co < 8; co++) for (int p = 0; p < PIX; p++) out[co * PIX + p] = dot(w, co * K, x, p * K, K / 2);
                return 8L * PIX * K;
            }},
            {"idiom as dot products, four reductions sharing x", (Body) () -> {
                for (int co = 0; co < 8; co += 4) for (int p = 0; p < PIX; p++) dot4(w, co * K, K, x, p * K, K / 2, out, co * PIX + 4 * p % PIX);
                return 8L * PIX * K;
            }},
            {"Int8Conv2d now (exact float lanes), Lab 1 conv2 batch 1", (Body) () -> {
                conv.forwardQuantized(in, e);
                return (long) COUT * K * 24 * 24;
            }},
        };
        for (Object[] c : cases) {
            double[] v = rate((Body) c[1], windows, seconds);
            System.out.printf(Locale.ROOT, "  %6.1f / %6.1f  %s%n", v[0], v[1], c[0]);
        }
        System.out.println("(checksum " + (row[7] + out[9]) + ")");
    }
}
