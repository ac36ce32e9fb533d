package org.sinter.kernels.conv;

import static org.sinter.kernels.ExactVectors.FLOAT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Parallel;

/**
 * Direct float32 convolution vectorized over output channels, for layers with many output
 * channels per group (a ResNet's 3x3 and strided convolutions), where im2col would write and read
 * back a matrix {@code kh*kw} times the input's size.
 *
 * <p>The filter is packed once ({@link #pack}) so that the weights of one input tap for {@code L}
 * consecutive output channels are one vector ({@code L} the preferred float vector length). A
 * register tile of {@link #BLOCKS} such channel vectors by {@link #TILE} output pixels then
 * accumulates, over every (input channel, tap) of the receptive field, a broadcast input pixel
 * times a weight vector: {@code BLOCKS * TILE} independent fused multiply-adds per step, with
 * {@code BLOCKS + TILE} loads (MLAS's and oneDNN's direct kernels have the same shape). Each input
 * pixel is read where it lies in the (padded) input planes. Output pixels are numbered across rows,
 * so a tile may span two rows and only the last tile of a plane is partial. A group with no more
 * output channels than one vector (LeNet-5's 6→16 on AVX-512) takes panels of one channel vector
 * and a 1 x {@link #TILE_ONE} tile instead, so no half of every multiply-add works on zero channels.
 *
 * <p>The sums run over (channel, kh, kw) in order, as im2col + GEMM's do, so results agree with
 * the other paths to float rounding.
 */
public final class PackedConv {
    private PackedConv() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per weight vector: output channels per block. */
    static final int L = S.length();
    /**
     * Channel vectors per register tile: 2 x 6 accumulators, 2 weights and a broadcast fill AVX2's
     * 16 registers. (A 4 x 6 tile for AVX-512's 32 registers was measured 15-70x slower: C2 no
     * longer kept the vectors in registers and fell back to boxed vector objects.)
     */
    static final int BLOCKS = 2;
    /** Output pixels per register tile. */
    static final int TILE = 6;
    /** Output pixels per register tile of one channel vector: 12 accumulators, a weight and a broadcast. */
    static final int TILE_ONE = 12;
    /** Register tiles per work item: a strip of pixels for one channel panel, long enough to amortize the item. */
    private static final int TILES_PER_ITEM = 32;

    /**
     * Whether this kernel is the one to use for a float32 convolution: enough output channels per
     * group to fill a vector, and not a pointwise convolution (which needs no im2col: its GEMM reads
     * the input planes as they are). System property {@code sinter.conv.packed}: "auto" (the
     * default) or "off" to measure im2col + GEMM alone.
     */
    public static boolean applies(ConvGeometry g) {
        return ENABLED && g.kg() >= L && !g.pointwise() && g.oh() > 0 && g.ow() > 0;
    }

    /** Whether {@link #pack} lays {@code g}'s filter out for the stride-2 tiles (a horizontal stride of 2, AVX-512; see {@link StridedConv}). */
    public static boolean stridedTiles(ConvGeometry g) {
        return applies(g) && !ChannelsLastConv.applies(g) && StridedConv.applies(g);
    }

    /**
     * The register tile of {@link #stridedTiles}' kernel: {@code vectors} vectors of {@code lanes}
     * output channels by {@code rows} output rows by {@code cols} columns; the reduction's inner
     * loop over input channels ({@code channelsInner}) or over the kernel's columns.
     */
    public record StridedTile(int lanes, int vectors, int rows, int cols, boolean channelsInner) {}

    /** The register tile the stride-2 kernel runs on {@code g}, or null where {@link #stridedTiles} does not apply (for the auto-tuner's seed). */
    public static StridedTile stridedTile(ConvGeometry g) {
        return stridedTiles(g) ? StridedConv.tile(g) : null;
    }

    private static final boolean ENABLED = !"off".equals(System.getProperty("sinter.conv.packed", "auto"));

    /**
     * A filter packed for {@link #conv}: per group and channel panel, per tap, {@code width}
     * output channels' weights ({@code BLOCKS * L}, or {@code L} for a group that one vector
     * covers); with the input addressing its geometry implies, computed once. A layer with
     * horizontal stride 2 is packed for {@link StridedConv} instead ({@code strided}), one that
     * {@link ChannelsLastConv} applies to for it ({@code channelsLast}); the other fields then unused.
     */
    public record Filter(ConvGeometry geometry, float[] data, int panels, int width, Addressing at, StridedConv.Filter strided,
                         ChannelsLastConv.Filter channelsLast) {
        int panelBase(int group, int panel) {
            return (group * panels + panel) * geometry.patch() * width;
        }
    }

    /** Output channels per panel for {@code kg} channels per group. */
    private static int panelWidth(int kg) {
        return kg <= L ? L : BLOCKS * L;
    }

    /**
     * Where the kernel reads the input: in place, or from a copy with its padding ({@code padded},
     * planes of {@code hp x wp}); {@code pixel[p]} is output pixel p's top-left input offset within
     * a plane and {@code tap[t]} tap t's offset from it (its input channel's plane, row and column).
     */
    record Addressing(boolean padded, int hp, int wp, int rowStride, int planeStride, int[] pixel, int[] tap) {
        static Addressing of(ConvGeometry g) {
            int hp = g.paddedHeight(), wp = g.paddedWidth();
            boolean padded = g.ph() != 0 || g.pw() != 0 || hp > g.h() || wp > g.w();
            int rowStride = padded ? wp : g.w(), planeStride = padded ? hp * wp : g.inPlane();
            int[] pixel = new int[g.outPlane()];
            for (int oy = 0, p = 0; oy < g.oh(); oy++)
                for (int ox = 0; ox < g.ow(); ox++, p++) pixel[p] = oy * g.sh() * rowStride + ox * g.sw();
            int[] tap = new int[g.patch()];
            for (int c = 0, t = 0; c < g.cg(); c++)
                for (int i = 0; i < g.kh(); i++)
                    for (int j = 0; j < g.kw(); j++, t++) tap[t] = c * planeStride + i * g.dh() * rowStride + j * g.dw();
            return new Addressing(padded, hp, wp, rowStride, planeStride, pixel, tap);
        }
    }

    /** Packs a dense {@code [k, c/groups, kh, kw]} filter from {@code w[off]}; channels past {@code k/groups} are zero. */
    public static Filter pack(ConvGeometry g, float[] w, int off) {
        if (ChannelsLastConv.applies(g)) return new Filter(g, null, 0, 0, null, null, ChannelsLastConv.pack(g, w, off));
        if (StridedConv.applies(g)) return new Filter(g, null, 0, 0, null, StridedConv.pack(g, w, off), null);
        int width = panelWidth(g.kg()), panels = Math.ceilDiv(g.kg(), width), patch = g.patch();
        float[] data = new float[g.groups() * panels * patch * width];
        for (int gr = 0; gr < g.groups(); gr++) {
            for (int q = 0; q < panels; q++) {
                int base = (gr * panels + q) * patch * width;
                for (int lane = 0; lane < width; lane++) {
                    int k = q * width + lane;
                    if (k >= g.kg()) break;
                    int src = off + (gr * g.kg() + k) * patch;
                    for (int t = 0; t < patch; t++) data[base + t * width + lane] = w[src + t];
                }
            }
        }
        return new Filter(g, data, panels, width, Addressing.of(g), null, null);
    }

    /**
     * The geometry of {@code g}'s transpose (its adjoint in the input) as a convolution, where one
     * exists for this kernel: unit stride, and padding that leaves {@code (k-1)·d - p >= 0} on the
     * other side; null otherwise. Its input is {@code g}'s output and its output {@code g}'s input.
     */
    public static ConvGeometry transposed(ConvGeometry g) {
        int ph = (g.kh() - 1) * g.dh() - g.ph(), pw = (g.kw() - 1) * g.dw() - g.pw();
        if (g.sh() != 1 || g.sw() != 1 || ph < 0 || pw < 0) return null;
        var t = new ConvGeometry(g.k(), g.oh(), g.ow(), g.c(), g.h(), g.w(), g.kh(), g.kw(), 1, 1, ph, pw, g.dh(), g.dw(), g.groups());
        return applies(t) ? t : null;
    }

    /**
     * Packs {@code g}'s dense filter from {@code w[off]} for {@link #transposed}{@code (g)}: the
     * adjoint's filter is the original with input and output channels swapped within each group and
     * both spatial axes flipped.
     */
    public static Filter packTransposed(ConvGeometry g, float[] w, int off) {
        ConvGeometry t = transposed(g);
        if (t == null) throw new IllegalArgumentException("PackedConv: no direct transpose for " + g);
        int width = panelWidth(t.kg()), panels = Math.ceilDiv(t.kg(), width), patch = t.patch(), taps = g.kh() * g.kw();
        float[] data = new float[t.groups() * panels * patch * width];
        for (int gr = 0; gr < t.groups(); gr++) {
            for (int q = 0; q < panels; q++) {
                int base = (gr * panels + q) * patch * width;
                for (int lane = 0; lane < width; lane++) {
                    int ci = q * width + lane; // an input channel of g within the group
                    if (ci >= t.kg()) break;
                    for (int kk = 0; kk < g.kg(); kk++) {
                        int src = off + (gr * g.kg() + kk) * g.patch() + ci * taps;
                        for (int tap = 0; tap < taps; tap++) data[base + (kk * taps + tap) * width + lane] = w[src + taps - 1 - tap];
                    }
                }
            }
        }
        return new Filter(t, data, panels, width, Addressing.of(t), null, null);
    }

    /** Told when output channels {@code [k0, k0+nk)} of pixels {@code [p0, p0+np)} of {@code sample} are final in {@code y}. */
    @FunctionalInterface
    public interface BlockDone {
        void done(int sample, int k0, int nk, int p0, int np);
    }

    /**
     * {@code y[n,k,oh,ow] = conv(x[n,c,h,w], filter) + bias[k]} (bias may be null) on dense
     * row-major arrays; {@code done} (may be null) is called on the finished blocks, from the
     * thread that computed them, while they are in cache.
     */
    public static void conv(ConvGeometry g, int n, float[] x, int xOff, Filter f, float[] bias, int bOff,
                            float[] y, int yOff, BlockDone done) {
        if (!f.geometry().equals(g)) throw new IllegalArgumentException("PackedConv: filter packed for " + f.geometry() + ", used for " + g);
        if (f.strided() != null) {
            StridedConv.conv(g, n, x, xOff, f.strided(), bias, bOff, y, yOff, done);
            return;
        }
        if (f.channelsLast() != null) {
            ChannelsLastConv.conv(g, n, x, xOff, f.channelsLast(), bias, bOff, y, yOff, done);
            return;
        }
        Addressing at = f.at();
        float[] src = at.padded() ? padded(g, at, n, x, xOff) : x;
        int srcOff = at.padded() ? 0 : xOff;
        int plane = g.outPlane();
        int[] pixel = at.pixel(), tap = at.tap();
        // Strips of at most TILES_PER_ITEM tiles, evenly sized, so a plane just over a strip is not left with a sliver.
        int width = f.width(), tileSize = width == L ? TILE_ONE : TILE;
        int tiles = Math.ceilDiv(plane, tileSize), strips = Math.ceilDiv(tiles, TILES_PER_ITEM), strip = tileSize * Math.ceilDiv(tiles, strips);
        int perSample = g.groups() * f.panels() * strips;
        float[] in = src;
        int inOff = srcOff;
        Parallel.forRange(n * perSample, 1, (s, e) -> {
            float[] tile = new float[width * tileSize];
            for (int item = s; item < e; item++) {
                int sample = item / perSample, rest = item % perSample;
                int gr = rest / (f.panels() * strips), panel = rest / strips % f.panels(), st = rest % strips;
                int p0 = st * strip, p1 = Math.min(plane, p0 + strip);
                int k0 = gr * g.kg() + panel * width, nk = Math.min(width, gr * g.kg() + g.kg() - k0);
                int xBase = inOff + (sample * g.c() + gr * g.cg()) * at.planeStride();
                int yBase = yOff + sample * g.k() * plane;
                for (int p = p0; p < p1; p += tileSize) {
                    int valid = Math.min(tileSize, p1 - p);
                    if (width == L) tileSumsOne(in, xBase, tap, pixel, p, valid, f.data(), f.panelBase(gr, panel), tile);
                    else tileSums(in, xBase, tap, pixel, p, valid, f.data(), f.panelBase(gr, panel), tile);
                    for (int q = 0; q < nk; q++) {
                        float b = bias == null ? 0f : bias[bOff + k0 + q];
                        int row = yBase + (k0 + q) * plane + p;
                        for (int j = 0; j < valid; j++) y[row + j] = tile[j * width + q] + b;
                    }
                }
                if (done != null) done.done(sample, k0, nk, p0, p1 - p0);
            }
        });
    }

    /** {@code n} samples of {@code x} padded as {@code at} lays them out, in the calling thread's buffer (reused from call to call: every call writes all of it that it reads). */
    static float[] padded(ConvGeometry g, Addressing at, int n, float[] x, int xOff) {
        float[] dst = padBuffer(n * g.c() * at.planeStride());
        Parallel.forRange(n * g.c(), 16, (s, e) -> {
            for (int pl = s; pl < e; pl++) padPlane(g, at.hp(), at.wp(), x, xOff + pl * g.inPlane(), dst, pl * at.planeStride());
        });
        return dst;
    }

    private static final ThreadLocal<float[][]> PAD = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] padBuffer(int floats) {
        float[][] holder = PAD.get();
        if (holder[0].length < floats) holder[0] = new float[floats];
        return holder[0];
    }

    /**
     * Writes one whole {@code hp x wp} padded plane: the input plane at (ph, pw), zeros around it
     * (so a reused buffer needs no clearing; {@link WinogradConv} pads its tiles' planes with it too).
     */
    static void padPlane(ConvGeometry g, int hp, int wp, float[] x, int xo, float[] dst, int d) {
        int from = Math.max(0, -g.pw()), to = Math.min(g.w(), wp - g.pw());
        for (int r = 0; r < hp; r++) {
            int row = d + r * wp, ir = r - g.ph();
            if (ir < 0 || ir >= g.h() || to <= from) {
                java.util.Arrays.fill(dst, row, row + wp, 0f);
                continue;
            }
            int left = from + g.pw(), right = to + g.pw();
            java.util.Arrays.fill(dst, row, row + left, 0f);
            System.arraycopy(x, xo + ir * g.w() + from, dst, row + left, to - from);
            java.util.Arrays.fill(dst, row + right, row + wp, 0f);
        }
    }

    /**
     * {@code tile[j][lane] = Σ_t x[base + tap[t] + pixel[p+j]] · w[wBase + t*2L + lane]} (two channel vectors) for the
     * tile's pixels; a partial tile repeats its last valid pixel (computed, then dropped).
     */
    private static void tileSums(float[] x, int base, int[] tap, int[] pixel, int p, int valid, float[] w, int wBase, float[] tile) {
        int last = p + valid - 1;
        int o0 = base + pixel[p], o1 = base + pixel[Math.min(p + 1, last)], o2 = base + pixel[Math.min(p + 2, last)];
        int o3 = base + pixel[Math.min(p + 3, last)], o4 = base + pixel[Math.min(p + 4, last)], o5 = base + pixel[Math.min(p + 5, last)];
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00, a04 = a00, a05 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00, a15 = a00;
        int wi = wBase;
        for (int t = 0; t < tap.length; t++, wi += 2 * L) {
            FloatVector w0 = FloatVector.fromArray(S, w, wi), w1 = FloatVector.fromArray(S, w, wi + L);
            int off = tap[t];
            FloatVector v = FloatVector.broadcast(S, x[o0 + off]);
            a00 = w0.fma(v, a00);
            a10 = w1.fma(v, a10);
            v = FloatVector.broadcast(S, x[o1 + off]);
            a01 = w0.fma(v, a01);
            a11 = w1.fma(v, a11);
            v = FloatVector.broadcast(S, x[o2 + off]);
            a02 = w0.fma(v, a02);
            a12 = w1.fma(v, a12);
            v = FloatVector.broadcast(S, x[o3 + off]);
            a03 = w0.fma(v, a03);
            a13 = w1.fma(v, a13);
            v = FloatVector.broadcast(S, x[o4 + off]);
            a04 = w0.fma(v, a04);
            a14 = w1.fma(v, a14);
            v = FloatVector.broadcast(S, x[o5 + off]);
            a05 = w0.fma(v, a05);
            a15 = w1.fma(v, a15);
        }
        int row = BLOCKS * L;
        ((FloatVector) FLOAT.cast(a00)).intoArray(tile, 0);
        ((FloatVector) FLOAT.cast(a10)).intoArray(tile, L);
        ((FloatVector) FLOAT.cast(a01)).intoArray(tile, row);
        ((FloatVector) FLOAT.cast(a11)).intoArray(tile, row + L);
        ((FloatVector) FLOAT.cast(a02)).intoArray(tile, 2 * row);
        ((FloatVector) FLOAT.cast(a12)).intoArray(tile, 2 * row + L);
        ((FloatVector) FLOAT.cast(a03)).intoArray(tile, 3 * row);
        ((FloatVector) FLOAT.cast(a13)).intoArray(tile, 3 * row + L);
        ((FloatVector) FLOAT.cast(a04)).intoArray(tile, 4 * row);
        ((FloatVector) FLOAT.cast(a14)).intoArray(tile, 4 * row + L);
        ((FloatVector) FLOAT.cast(a05)).intoArray(tile, 5 * row);
        ((FloatVector) FLOAT.cast(a15)).intoArray(tile, 5 * row + L);
    }

    /** {@link #tileSums} for panels of one channel vector: {@code tile[j][lane]} for {@link #TILE_ONE} pixels. */
    private static void tileSumsOne(float[] x, int base, int[] tap, int[] pixel, int p, int valid, float[] w, int wBase, float[] tile) {
        int last = p + valid - 1;
        int o0 = base + pixel[p], o1 = base + pixel[Math.min(p + 1, last)], o2 = base + pixel[Math.min(p + 2, last)];
        int o3 = base + pixel[Math.min(p + 3, last)], o4 = base + pixel[Math.min(p + 4, last)], o5 = base + pixel[Math.min(p + 5, last)];
        int o6 = base + pixel[Math.min(p + 6, last)], o7 = base + pixel[Math.min(p + 7, last)], o8 = base + pixel[Math.min(p + 8, last)];
        int o9 = base + pixel[Math.min(p + 9, last)], o10 = base + pixel[Math.min(p + 10, last)], o11 = base + pixel[Math.min(p + 11, last)];
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        int wi = wBase;
        for (int t = 0; t < tap.length; t++, wi += L) {
            FloatVector wv = FloatVector.fromArray(S, w, wi);
            int off = tap[t];
            a0 = wv.fma(FloatVector.broadcast(S, x[o0 + off]), a0);
            a1 = wv.fma(FloatVector.broadcast(S, x[o1 + off]), a1);
            a2 = wv.fma(FloatVector.broadcast(S, x[o2 + off]), a2);
            a3 = wv.fma(FloatVector.broadcast(S, x[o3 + off]), a3);
            a4 = wv.fma(FloatVector.broadcast(S, x[o4 + off]), a4);
            a5 = wv.fma(FloatVector.broadcast(S, x[o5 + off]), a5);
            a6 = wv.fma(FloatVector.broadcast(S, x[o6 + off]), a6);
            a7 = wv.fma(FloatVector.broadcast(S, x[o7 + off]), a7);
            a8 = wv.fma(FloatVector.broadcast(S, x[o8 + off]), a8);
            a9 = wv.fma(FloatVector.broadcast(S, x[o9 + off]), a9);
            a10 = wv.fma(FloatVector.broadcast(S, x[o10 + off]), a10);
            a11 = wv.fma(FloatVector.broadcast(S, x[o11 + off]), a11);
        }
        ((FloatVector) FLOAT.cast(a0)).intoArray(tile, 0);
        ((FloatVector) FLOAT.cast(a1)).intoArray(tile, L);
        ((FloatVector) FLOAT.cast(a2)).intoArray(tile, 2 * L);
        ((FloatVector) FLOAT.cast(a3)).intoArray(tile, 3 * L);
        ((FloatVector) FLOAT.cast(a4)).intoArray(tile, 4 * L);
        ((FloatVector) FLOAT.cast(a5)).intoArray(tile, 5 * L);
        ((FloatVector) FLOAT.cast(a6)).intoArray(tile, 6 * L);
        ((FloatVector) FLOAT.cast(a7)).intoArray(tile, 7 * L);
        ((FloatVector) FLOAT.cast(a8)).intoArray(tile, 8 * L);
        ((FloatVector) FLOAT.cast(a9)).intoArray(tile, 9 * L);
        ((FloatVector) FLOAT.cast(a10)).intoArray(tile, 10 * L);
        ((FloatVector) FLOAT.cast(a11)).intoArray(tile, 11 * L);
    }
}
