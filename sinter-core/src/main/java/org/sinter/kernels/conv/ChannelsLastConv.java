package org.sinter.kernels.conv;

import static org.sinter.kernels.ExactVectors.FLOAT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Parallel;

/**
 * Direct float32 convolution over a channels-last copy of the input, for layers with at least
 * {@link #WIDTH} output channels on 32 vector registers (AVX-512): the kernel of a ResNet's 3x3 and
 * strided layers where the input planes are small, so a Winograd filter (2-4x the weights) costs more
 * in memory traffic than its fewer multiply-adds save.
 *
 * <p>Each call copies the input, padded, as {@code [row][column][channel]}; the filter is packed once as
 * panels of {@link #WIDTH} output channels, {@code [channel block][kh][kw][channel][WIDTH]}: the order the
 * kernel reads it, so a panel streams from memory front to back. A register tile of 4
 * channel vectors by {@link #TILE} output pixels accumulates, over each kernel tap and a block of
 * input channels, a broadcast input value times a weight vector. Inner loop is over input channels,
 * where every address is its index plus a constant, so C2 hoists the array range checks out of it;
 * {@link PackedConv}'s loop over (channel, tap) pairs reads its input at offsets from a table and
 * pays a check per broadcast (the reason this kernel exists: the same tile there runs 1.3-1.7x this
 * one's time). The taps of one block of channels ({@link #CHANNEL_BLOCK} x {@link #WIDTH} weights, 32
 * KiB) stay in L1 while every tile of a strip of output pixels uses them; the tiles' partial sums wait
 * in a buffer between blocks. Sums run over (channel block, kh, kw, channel): the same products as
 * im2col + GEMM, added in another order, so results agree with the other kernels to float rounding.
 */
public final class ChannelsLastConv {
    private ChannelsLastConv() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Output channels per panel: four channel vectors. */
    static final int WIDTH = 4 * L;
    /** Output pixels per register tile: 4 x 6 accumulators, 4 weights and a broadcast fit 32 registers. */
    static final int TILE = 6;
    /** Input channels per block of the reduction: their weights for one tap are 32 KiB, half of L1. */
    static final int CHANNEL_BLOCK = 128;
    /**
     * Most register tiles per strip of output pixels (one work item; its partial sums are 96 KiB, in L2): each block
     * of weights loaded into L1 serves every tile of the strip, so longer strips read the filter fewer times (ResNet-18's
     * 14x14 layer: 0.95 ms in strips of 16 tiles, 0.83 in one of 33).
     */
    static final int TILES_PER_STRIP = 64;

    /** Offsets of {@code L} consecutive pixels' sums in a strip's buffer (the gather back to channel planes). */
    private static final int[] SUM_ROWS = java.util.stream.IntStream.range(0, L).map(i -> i * WIDTH).toArray();

    private static final boolean ENABLED = L >= 16 && !"off".equals(System.getProperty("sinter.conv.channelsLast", "auto"));

    /**
     * Whether this kernel runs {@code g}: one group of at least {@link #WIDTH} output channels and
     * {@link #MIN_CHANNELS} input channels, a kernel of at least 2 x 2, on AVX-512. (A 1x1 stride-2 layer
     * would copy four times the input it reads; {@link PackedConv}'s stride-2 tiles take it in 0.45x the time.)
     */
    public static boolean applies(ConvGeometry g) {
        return ENABLED && g.groups() == 1 && g.k() >= WIDTH && g.c() >= MIN_CHANNELS && g.kh() * g.kw() >= 4 && g.oh() > 0 && g.ow() > 0;
    }

    /** Fewest input channels: the inner loop runs over them (ResNet's 7x7 stem, 3 channels, takes 2x {@link PackedConv}'s time here). */
    static final int MIN_CHANNELS = 32;

    /**
     * A packed filter: panels of {@link #WIDTH} output channels ({@code [panel][channel block][kh][kw][channel][WIDTH]}, channels
     * past {@code k} zero), with the padded input's sides, each output pixel's and tap's offset in it, and the
     * offsets of {@code L} consecutive input planes (the input copy's gather).
     */
    public record Filter(ConvGeometry geometry, float[] data, int panels, int hp, int wp, int[] pixel, int[] tap, int[] planes) {}

    /** Packs a dense {@code [k, c, kh, kw]} filter from {@code w[off]}. */
    public static Filter pack(ConvGeometry g, float[] w, int off) {
        if (!applies(g)) throw new IllegalArgumentException("ChannelsLastConv: does not apply to " + g);
        int c = g.c(), taps = g.kh() * g.kw(), panels = Math.ceilDiv(g.k(), WIDTH);
        float[] data = new float[panels * taps * c * WIDTH];
        for (int k = 0; k < g.k(); k++) {
            int base = k / WIDTH * taps * c * WIDTH, lane = k % WIDTH;
            for (int ch = 0; ch < c; ch++) {
                int c0 = ch / CHANNEL_BLOCK * CHANNEL_BLOCK, block = Math.min(CHANNEL_BLOCK, c - c0);
                for (int t = 0; t < taps; t++) data[base + (c0 * taps + t * block + ch - c0) * WIDTH + lane] = w[off + (k * c + ch) * taps + t];
            }
        }
        int hp = g.paddedHeight(), wp = g.paddedWidth();
        int[] pixel = new int[g.outPlane()];
        for (int oy = 0, p = 0; oy < g.oh(); oy++)
            for (int ox = 0; ox < g.ow(); ox++, p++) pixel[p] = (oy * g.sh() * wp + ox * g.sw()) * c;
        int[] tap = new int[taps];
        for (int i = 0, t = 0; i < g.kh(); i++)
            for (int j = 0; j < g.kw(); j++, t++) tap[t] = (i * g.dh() * wp + j * g.dw()) * c;
        int[] planes = new int[L];
        for (int i = 0; i < L; i++) planes[i] = i * g.inPlane();
        return new Filter(g, data, panels, hp, wp, pixel, tap, planes);
    }

    /**
     * {@code y[n,k,oh,ow] = conv(x[n,c,h,w], filter) + bias[k]} (bias may be null) on dense row-major
     * arrays; {@code done} (may be null) is called on each finished block from the thread that computed it.
     */
    public static void conv(ConvGeometry g, int n, float[] x, int xOff, Filter f, float[] bias, int bOff, float[] y, int yOff, PackedConv.BlockDone done) {
        if (!f.geometry().equals(g)) throw new IllegalArgumentException("ChannelsLastConv: filter packed for " + f.geometry() + ", used for " + g);
        int c = g.c(), plane = g.outPlane(), sampleSize = f.hp() * f.wp() * c;
        float[] in = channelsLast(g, f, n, x, xOff);
        int strip = stripPixels(n, f.panels(), plane), strips = Math.ceilDiv(plane, strip);
        int perSample = f.panels() * strips, taps = f.tap().length, panelSize = taps * c * WIDTH;
        int[] pixel = f.pixel(), tap = f.tap();
        Parallel.forRange(n * perSample, 1, (s, e) -> {
            float[] sums = sums(strip * WIDTH);
            for (int item = s; item < e; item++) {
                int sample = item / perSample, panel = item % perSample / strips, st = item % strips;
                int p0 = st * strip, p1 = Math.min(plane, p0 + strip);
                int xBase = sample * sampleSize, wPanel = panel * panelSize;
                for (int c0 = 0; c0 < c; c0 += CHANNEL_BLOCK) {
                    int c1 = Math.min(c, c0 + CHANNEL_BLOCK);
                    for (int t = 0; t < taps; t++) {
                        // The block's weights for tap t, indexed by absolute channel.
                        int wBase = wPanel + (c0 * taps + t * (c1 - c0) - c0) * WIDTH, tapBase = xBase + tap[t];
                        boolean first = c0 == 0 && t == 0;
                        for (int p = p0; p < p1; p += TILE) {
                            int last = Math.min(p + TILE, p1) - 1;
                            tileSums(in, tapBase + pixel[p], tapBase + pixel[Math.min(p + 1, last)], tapBase + pixel[Math.min(p + 2, last)],
                                    tapBase + pixel[Math.min(p + 3, last)], tapBase + pixel[Math.min(p + 4, last)], tapBase + pixel[Math.min(p + 5, last)],
                                    c0, c1, f.data(), wBase, sums, (p - p0) * WIDTH, first);
                        }
                    }
                }
                int k0 = panel * WIDTH, nk = Math.min(WIDTH, g.k() - k0), yBase = yOff + sample * g.k() * plane;
                for (int q = 0; q < nk; q++) {
                    float b = bias == null ? 0f : bias[bOff + k0 + q];
                    int row = yBase + (k0 + q) * plane, j = p0;
                    // Back to channel planes: one gather of L pixels' sums of channel q, one store.
                    for (; j + L <= p1; j += L) {
                        FloatVector v = (FloatVector) FLOAT.cast(FloatVector.fromArray(S, sums, (j - p0) * WIDTH + q, SUM_ROWS, 0));
                        ((FloatVector) FLOAT.cast(v.add(b))).intoArray(y, row + j);
                    }
                    for (; j < p1; j++) y[row + j] = sums[(j - p0) * WIDTH + q] + b;
                }
                if (done != null) done.done(sample, k0, nk, p0, p1 - p0);
            }
        });
    }

    /**
     * Output pixels per strip: whole tiles, at most {@link #TILES_PER_STRIP}, in strips of even length; where the work
     * items are few, cut finer until every thread gets as many.
     */
    private static int stripPixels(int n, int panels, int plane) {
        int tiles = Math.ceilDiv(plane, TILE), strips = Math.ceilDiv(tiles, TILES_PER_STRIP), threads = Parallel.numThreads();
        while (strips < tiles && (long) n * panels * strips < 8L * threads && n * panels * strips % threads != 0) strips++;
        return TILE * Math.ceilDiv(tiles, strips);
    }

    /** {@code n} samples of {@code x} as padded {@code [row][column][channel]} planes, in the calling thread's buffer (each call writes all of it). */
    static float[] channelsLast(ConvGeometry g, Filter f, int n, float[] x, int xOff) {
        int c = g.c(), hp = f.hp(), wp = f.wp(), hw = g.inPlane();
        float[] dst = buffer(INPUT, n * hp * wp * c);
        Parallel.forRange(n * hp, 4, (s, e) -> {
            for (int r = s; r < e; r++) {
                int sample = r / hp, ir = r % hp - g.ph(), d = r * wp * c;
                int from = Math.max(0, g.pw()), to = Math.min(wp, g.w() + g.pw());
                if (ir < 0 || ir >= g.h() || from >= to) {
                    java.util.Arrays.fill(dst, d, d + wp * c, 0f);
                    continue;
                }
                java.util.Arrays.fill(dst, d, d + from * c, 0f);
                java.util.Arrays.fill(dst, d + to * c, d + wp * c, 0f);
                int src = xOff + sample * c * hw + ir * g.w() - g.pw();
                int[] planes = f.planes();
                int ch = 0;
                // A vector of channels of one pixel at a time: one gather down L planes, one store.
                for (; ch + L <= c; ch += L) {
                    int sc = src + ch * hw;
                    for (int q = from; q < to; q++)
                        ((FloatVector) FLOAT.cast(FloatVector.fromArray(S, x, sc + q, planes, 0))).intoArray(dst, d + q * c + ch);
                }
                for (; ch < c; ch++) {
                    int sc = src + ch * hw;
                    for (int q = from; q < to; q++) dst[d + q * c + ch] = x[sc + q];
                }
            }
        });
        return dst;
    }

    private static final ThreadLocal<float[][]> INPUT = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<float[][]> SUMS = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] sums(int floats) {
        return buffer(SUMS, floats);
    }

    private static float[] buffer(ThreadLocal<float[][]> holder, int floats) {
        float[][] h = holder.get();
        if (h[0].length < floats) h[0] = new float[floats];
        return h[0];
    }

    /**
     * {@code sums[at + j*WIDTH + lane] (+)= Σ_{c0 <= ch < c1} x[o_j + ch] · w[wBase + ch*WIDTH + lane]} for the tile's six
     * pixels (their input offsets {@code o0..o5} at this tap), starting from zero when {@code first}.
     */
    private static void tileSums(float[] x, int o0, int o1, int o2, int o3, int o4, int o5, int c0, int c1, float[] w, int wBase,
                                 float[] sums, int at, boolean first) {
        int row = WIDTH;
        FloatVector a00, a01, a02, a03, a04, a05, a10, a11, a12, a13, a14, a15, a20, a21, a22, a23, a24, a25, a30, a31, a32, a33, a34, a35;
        if (first) {
            a00 = FloatVector.zero(S);
            a01 = a00; a02 = a00; a03 = a00; a04 = a00; a05 = a00;
            a10 = a00; a11 = a00; a12 = a00; a13 = a00; a14 = a00; a15 = a00;
            a20 = a00; a21 = a00; a22 = a00; a23 = a00; a24 = a00; a25 = a00;
            a30 = a00; a31 = a00; a32 = a00; a33 = a00; a34 = a00; a35 = a00;
        } else {
            a00 = load(sums, at); a10 = load(sums, at + L); a20 = load(sums, at + 2 * L); a30 = load(sums, at + 3 * L);
            a01 = load(sums, at + row); a11 = load(sums, at + row + L); a21 = load(sums, at + row + 2 * L); a31 = load(sums, at + row + 3 * L);
            a02 = load(sums, at + 2 * row); a12 = load(sums, at + 2 * row + L); a22 = load(sums, at + 2 * row + 2 * L); a32 = load(sums, at + 2 * row + 3 * L);
            a03 = load(sums, at + 3 * row); a13 = load(sums, at + 3 * row + L); a23 = load(sums, at + 3 * row + 2 * L); a33 = load(sums, at + 3 * row + 3 * L);
            a04 = load(sums, at + 4 * row); a14 = load(sums, at + 4 * row + L); a24 = load(sums, at + 4 * row + 2 * L); a34 = load(sums, at + 4 * row + 3 * L);
            a05 = load(sums, at + 5 * row); a15 = load(sums, at + 5 * row + L); a25 = load(sums, at + 5 * row + 2 * L); a35 = load(sums, at + 5 * row + 3 * L);
        }
        for (int ch = c0; ch < c1; ch++) {
            int wi = wBase + ch * WIDTH;
            FloatVector w0 = load(w, wi), w1 = load(w, wi + L), w2 = load(w, wi + 2 * L), w3 = load(w, wi + 3 * L);
            FloatVector v = FloatVector.broadcast(S, x[o0 + ch]);
            a00 = w0.fma(v, a00); a10 = w1.fma(v, a10); a20 = w2.fma(v, a20); a30 = w3.fma(v, a30);
            v = FloatVector.broadcast(S, x[o1 + ch]);
            a01 = w0.fma(v, a01); a11 = w1.fma(v, a11); a21 = w2.fma(v, a21); a31 = w3.fma(v, a31);
            v = FloatVector.broadcast(S, x[o2 + ch]);
            a02 = w0.fma(v, a02); a12 = w1.fma(v, a12); a22 = w2.fma(v, a22); a32 = w3.fma(v, a32);
            v = FloatVector.broadcast(S, x[o3 + ch]);
            a03 = w0.fma(v, a03); a13 = w1.fma(v, a13); a23 = w2.fma(v, a23); a33 = w3.fma(v, a33);
            v = FloatVector.broadcast(S, x[o4 + ch]);
            a04 = w0.fma(v, a04); a14 = w1.fma(v, a14); a24 = w2.fma(v, a24); a34 = w3.fma(v, a34);
            v = FloatVector.broadcast(S, x[o5 + ch]);
            a05 = w0.fma(v, a05); a15 = w1.fma(v, a15); a25 = w2.fma(v, a25); a35 = w3.fma(v, a35);
        }
        // Written out: a helper taking the accumulators would be past C2's inlining budget here, and box them.
        ((FloatVector) FLOAT.cast(a00)).intoArray(sums, at); ((FloatVector) FLOAT.cast(a10)).intoArray(sums, at + L);
        ((FloatVector) FLOAT.cast(a20)).intoArray(sums, at + 2 * L); ((FloatVector) FLOAT.cast(a30)).intoArray(sums, at + 3 * L);
        ((FloatVector) FLOAT.cast(a01)).intoArray(sums, at + row); ((FloatVector) FLOAT.cast(a11)).intoArray(sums, at + row + L);
        ((FloatVector) FLOAT.cast(a21)).intoArray(sums, at + row + 2 * L); ((FloatVector) FLOAT.cast(a31)).intoArray(sums, at + row + 3 * L);
        ((FloatVector) FLOAT.cast(a02)).intoArray(sums, at + 2 * row); ((FloatVector) FLOAT.cast(a12)).intoArray(sums, at + 2 * row + L);
        ((FloatVector) FLOAT.cast(a22)).intoArray(sums, at + 2 * row + 2 * L); ((FloatVector) FLOAT.cast(a32)).intoArray(sums, at + 2 * row + 3 * L);
        ((FloatVector) FLOAT.cast(a03)).intoArray(sums, at + 3 * row); ((FloatVector) FLOAT.cast(a13)).intoArray(sums, at + 3 * row + L);
        ((FloatVector) FLOAT.cast(a23)).intoArray(sums, at + 3 * row + 2 * L); ((FloatVector) FLOAT.cast(a33)).intoArray(sums, at + 3 * row + 3 * L);
        ((FloatVector) FLOAT.cast(a04)).intoArray(sums, at + 4 * row); ((FloatVector) FLOAT.cast(a14)).intoArray(sums, at + 4 * row + L);
        ((FloatVector) FLOAT.cast(a24)).intoArray(sums, at + 4 * row + 2 * L); ((FloatVector) FLOAT.cast(a34)).intoArray(sums, at + 4 * row + 3 * L);
        ((FloatVector) FLOAT.cast(a05)).intoArray(sums, at + 5 * row); ((FloatVector) FLOAT.cast(a15)).intoArray(sums, at + 5 * row + L);
        ((FloatVector) FLOAT.cast(a25)).intoArray(sums, at + 5 * row + 2 * L); ((FloatVector) FLOAT.cast(a35)).intoArray(sums, at + 5 * row + 3 * L);
    }

    private static FloatVector load(float[] a, int i) {
        return (FloatVector) FLOAT.cast(FloatVector.fromArray(S, a, i));
    }
}
