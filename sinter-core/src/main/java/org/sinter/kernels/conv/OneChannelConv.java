package org.sinter.kernels.conv;

import static org.sinter.kernels.ExactVectors.FLOAT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Parallel;

/**
 * Direct float32 convolution of a one-channel input (the first layer of an image model: LeNet-5's
 * 1→6 5x5, the Lab 1 CNN's 1→32 3x3), unit stride, any padding and dilation. With one input channel
 * every output is a short stencil over one plane, so im2col would feed a GEMM of depth kh·kw per
 * sample, and a kernel vectorized over output channels would have to transpose each result tile on
 * its way out.
 *
 * <p>This kernel vectorizes along the output row instead: a row of {@code ow} outputs is covered by
 * vectors starting at {@code 0, L, 2L, …} with the last one moved back to end at {@code ow} (it
 * recomputes a few outputs of its neighbour: the same values, written twice), or, for rows shorter
 * than a vector, one vector with a masked store. A register tile of {@link #POSITIONS} such vectors
 * by {@link #KB} output channels accumulates, tap by tap, a row of input pixels times a broadcast
 * weight: {@code POSITIONS·KB} independent fused multiply-adds for {@code POSITIONS + KB} loads. Bias
 * and an optional ReLU ({@code max(v, 0)}: NaN stays NaN, -0 becomes +0) are applied in registers,
 * and the finished vectors go straight to the output rows. The input is read in place, or from a zero-padded copy of the sample's plane (the thread's
 * buffer, reused while consecutive work items read the same sample). Work items are (sample, band of
 * output rows), all channels each, split over the intra-op pool.
 *
 * <p>The sums run over the taps in (kh, kw) order, as im2col + GEMM's do, with the bias first, so
 * results agree with the other paths to float rounding.
 */
public final class OneChannelConv {
    private OneChannelConv() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Output channels per register tile; filters are padded with zero channels to a multiple of it.
     * Six fits LeNet-5's first layer exactly: against four it took LeNet's 0.27 ms to 0.20 (AVX-512)
     * and 0.56 to 0.21 (AVX2) and cost the Lab 1 CNN's 32 channels (36 computed) about 12%.
     */
    static final int KB = 6;
    /** Row vectors per register tile: 2 x 6 accumulators, two input rows and a weight fit AVX2's 16 registers. */
    static final int POSITIONS = 2;

    private static final boolean ENABLED = !"off".equals(System.getProperty("sinter.conv.oneChannel", "auto"));

    /**
     * Whether this kernel runs {@code g}: one input channel, one group, unit stride, non-negative
     * padding (system property {@code sinter.conv.oneChannel=off} turns it off, to measure the others).
     */
    public static boolean applies(ConvGeometry g) {
        return ENABLED && g.c() == 1 && g.groups() == 1 && g.sh() == 1 && g.sw() == 1 && g.ph() >= 0 && g.pw() >= 0
                && g.dh() >= 1 && g.dw() >= 1 && g.oh() > 0 && g.ow() > 0 && g.k() > 0;
    }

    /**
     * A filter packed for {@link #conv}: per block of {@link #KB} output channels, per tap, the
     * block's weights side by side (channels past {@code k} are zero); with the input and output
     * addressing its geometry implies.
     */
    public record Filter(ConvGeometry geometry, float[] data, int blocks, Layout layout) {}

    /**
     * Where the kernel reads and writes: {@code copy} says whether the input goes through a padded
     * plane of {@code hp x rowStride}; {@code tap[t]} is tap t's offset from a vector's first input,
     * {@code in[p]}/{@code out[p]} vector p's first input (in the plane read) and output offsets;
     * {@code masked} when rows are shorter than a vector (one vector per row, stored under a mask).
     */
    record Layout(boolean copy, int hp, int rowStride, int[] tap, int[] in, int[] out, boolean masked) {
        static Layout of(ConvGeometry g) {
            int hp = g.oh() + (g.kh() - 1) * g.dh(), wp = g.ow() + (g.kw() - 1) * g.dw();
            boolean masked = g.ow() < L;
            // A masked row still loads whole vectors: its rows are widened so those loads stay inside them.
            int wide = masked ? L + (g.kw() - 1) * g.dw() : wp;
            boolean copy = masked || g.ph() != 0 || g.pw() != 0 || hp > g.h() || wp > g.w();
            int rowStride = copy ? wide : g.w();
            int perRow = masked ? 1 : Math.ceilDiv(g.ow(), L);
            int[] in = new int[g.oh() * perRow], out = new int[in.length];
            for (int oy = 0, p = 0; oy < g.oh(); oy++) {
                for (int v = 0; v < perRow; v++, p++) {
                    int ox = masked ? 0 : Math.min(v * L, g.ow() - L);
                    in[p] = oy * rowStride + ox;
                    out[p] = oy * g.ow() + ox;
                }
            }
            int[] tap = new int[g.kh() * g.kw()];
            for (int i = 0, t = 0; i < g.kh(); i++)
                for (int j = 0; j < g.kw(); j++, t++) tap[t] = i * g.dh() * rowStride + j * g.dw();
            return new Layout(copy, hp, rowStride, tap, in, out, masked);
        }
    }

    /** Packs a dense {@code [k, 1, kh, kw]} filter from {@code w[off]}. */
    public static Filter pack(ConvGeometry g, float[] w, int off) {
        if (!applies(g)) throw new IllegalArgumentException("OneChannelConv: not a one-channel unit-stride convolution: " + g);
        int taps = g.kh() * g.kw(), blocks = Math.ceilDiv(g.k(), KB);
        float[] data = new float[blocks * taps * KB];
        for (int k = 0; k < g.k(); k++)
            for (int t = 0; t < taps; t++) data[(k / KB * taps + t) * KB + k % KB] = w[off + k * taps + t];
        return new Filter(g, data, blocks, Layout.of(g));
    }

    /**
     * {@code y[n,k,oh,ow] = relu?(conv(x[n,1,h,w], filter) + bias[k])} (bias may be null) on dense
     * row-major arrays; {@code done} (may be null) is told each finished (sample, band of rows) block,
     * all channels, from the thread that computed it, while it is in cache.
     */
    public static void conv(ConvGeometry g, int n, float[] x, int xOff, Filter f, float[] bias, int bOff, boolean relu,
                            float[] y, int yOff, PackedConv.BlockDone done) {
        if (!f.geometry().equals(g)) throw new IllegalArgumentException("OneChannelConv: filter packed for " + f.geometry() + ", used for " + g);
        Layout at = f.layout();
        int perRow = at.in().length / g.oh(), plane = g.outPlane(), threads = Parallel.numThreads();
        // A small batch is cut into bands of rows as well, so every thread has several items to take.
        int bands = n >= 4 * threads ? 1 : Math.min(g.oh(), Math.ceilDiv(4 * threads, n));
        float[] bk = new float[f.blocks() * KB];
        if (bias != null) System.arraycopy(bias, bOff, bk, 0, g.k());
        VectorMask<Float> m = at.masked() ? S.indexInRange(0, g.ow()) : null;
        Parallel.forRange(n * bands, 1, (s, e) -> {
            float[] pad = at.copy() ? padBuffer(at.hp() * at.rowStride() + L) : null;
            int padded = -1;
            for (int item = s; item < e; item++) {
                int sample = item / bands, band = item % bands;
                int r0 = (int) ((long) g.oh() * band / bands), r1 = (int) ((long) g.oh() * (band + 1) / bands);
                float[] src = x;
                int base = xOff + sample * g.inPlane();
                if (at.copy()) {
                    if (padded != sample) {
                        padPlane(g, at, x, base, pad);
                        padded = sample;
                    }
                    src = pad;
                    base = 0;
                }
                int yBase = yOff + sample * g.k() * plane;
                for (int b = 0; b < f.blocks(); b++) {
                    rows(src, base, at, r0 * perRow, r1 * perRow, f.data(), b * at.tap().length * KB, bk, b * KB,
                            Math.min(KB, g.k() - b * KB), relu, m, y, yBase + b * KB * plane, plane);
                }
                if (done != null) done.done(sample, 0, g.k(), r0 * g.ow(), (r1 - r0) * g.ow());
            }
        });
    }

    private static final ThreadLocal<float[][]> PAD = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] padBuffer(int floats) {
        float[][] holder = PAD.get();
        if (holder[0].length < floats) holder[0] = new float[floats];
        return holder[0];
    }

    /** Writes the whole padded plane (the sample's pixels at (ph, pw), zeros around them), so stale data never shows. */
    private static void padPlane(ConvGeometry g, Layout at, float[] x, int xo, float[] dst) {
        int rs = at.rowStride(), cols = Math.min(g.w(), rs - g.pw());
        java.util.Arrays.fill(dst, 0, at.hp() * rs + L, 0f);
        for (int r = 0; r < g.h(); r++) {
            int pr = r + g.ph();
            if (pr >= at.hp() || cols <= 0) break;
            System.arraycopy(x, xo + r * g.w(), dst, pr * rs + g.pw(), cols);
        }
    }

    /**
     * Vector positions {@code [p0, p1)} of one block of {@code nk} (≤ KB) output channels: two
     * positions at a time (an odd last one computed twice), written from {@code y[yBase]} with the
     * block's channel planes {@code plane} apart.
     */
    private static void rows(float[] x, int base, Layout at, int p0, int p1, float[] w, int wBase, float[] bias, int bBase, int nk,
                             boolean relu, VectorMask<Float> m, float[] y, int yBase, int plane) {
        int[] tap = at.tap(), in = at.in(), out = at.out();
        // The ReLU as a max with a floor (-inf when off), so the stores need no call of their own: with
        // VectorFns.relu in the store, C2 left the vectors boxed and the fused layer ran 2-3x slower.
        FloatVector floor = FloatVector.broadcast(S, relu ? 0f : Float.NEGATIVE_INFINITY);
        FloatVector b0 = FloatVector.broadcast(S, bias[bBase]), b1 = FloatVector.broadcast(S, bias[bBase + 1]);
        FloatVector b2 = FloatVector.broadcast(S, bias[bBase + 2]), b3 = FloatVector.broadcast(S, bias[bBase + 3]);
        FloatVector b4 = FloatVector.broadcast(S, bias[bBase + 4]), b5 = FloatVector.broadcast(S, bias[bBase + 5]);
        for (int p = p0; p < p1; p += POSITIONS) {
            int q = Math.min(p + 1, p1 - 1), ia = base + in[p], ib = base + in[q];
            FloatVector a0 = b0, a1 = b1, a2 = b2, a3 = b3, a4 = b4, a5 = b5, c0 = b0, c1 = b1, c2 = b2, c3 = b3, c4 = b4, c5 = b5;
            for (int t = 0, wi = wBase; t < tap.length; t++, wi += KB) {
                FloatVector va = FloatVector.fromArray(S, x, ia + tap[t]), vb = FloatVector.fromArray(S, x, ib + tap[t]);
                FloatVector wv = FloatVector.broadcast(S, w[wi]);
                a0 = va.fma(wv, a0);
                c0 = vb.fma(wv, c0);
                wv = FloatVector.broadcast(S, w[wi + 1]);
                a1 = va.fma(wv, a1);
                c1 = vb.fma(wv, c1);
                wv = FloatVector.broadcast(S, w[wi + 2]);
                a2 = va.fma(wv, a2);
                c2 = vb.fma(wv, c2);
                wv = FloatVector.broadcast(S, w[wi + 3]);
                a3 = va.fma(wv, a3);
                c3 = vb.fma(wv, c3);
                wv = FloatVector.broadcast(S, w[wi + 4]);
                a4 = va.fma(wv, a4);
                c4 = vb.fma(wv, c4);
                wv = FloatVector.broadcast(S, w[wi + 5]);
                a5 = va.fma(wv, a5);
                c5 = vb.fma(wv, c5);
            }
            int oa = yBase + out[p], ob = yBase + out[q];
            store(a0.max(floor), c0.max(floor), m, y, oa, ob);
            if (nk > 1) store(a1.max(floor), c1.max(floor), m, y, oa + plane, ob + plane);
            if (nk > 2) store(a2.max(floor), c2.max(floor), m, y, oa + 2 * plane, ob + 2 * plane);
            if (nk > 3) store(a3.max(floor), c3.max(floor), m, y, oa + 3 * plane, ob + 3 * plane);
            if (nk > 4) store(a4.max(floor), c4.max(floor), m, y, oa + 4 * plane, ob + 4 * plane);
            if (nk > 5) store(a5.max(floor), c5.max(floor), m, y, oa + 5 * plane, ob + 5 * plane);
        }
    }

    private static void store(FloatVector a, FloatVector c, VectorMask<Float> m, float[] y, int oa, int ob) {
        if (m == null) {
            ((FloatVector) FLOAT.cast(a)).intoArray(y, oa);
            ((FloatVector) FLOAT.cast(c)).intoArray(y, ob);
        } else {
            ((FloatVector) FLOAT.cast(a)).intoArray(y, oa, m);
            ((FloatVector) FLOAT.cast(c)).intoArray(y, ob, m);
        }
    }
}
