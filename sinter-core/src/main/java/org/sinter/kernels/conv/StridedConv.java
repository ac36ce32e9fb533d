package org.sinter.kernels.conv;

import static org.sinter.kernels.ExactVectors.FLOAT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Parallel;

/**
 * Direct float32 convolution for layers with a horizontal stride of 2 (a ResNet's 7x7/2 stem, its
 * 3x3/2 and 1x1/2 convolutions), {@link PackedConv}'s kernel with the register tile the
 * auto-tuner found fastest on them: 14 accumulators, two channel vectors ({@code 2L} output
 * channels) by {@link #COLS} columns of one row where the inner loop runs over channels, else one
 * vector by {@link #ROWS} rows by {@link #COLS} columns (AVX-512 only: see {@link #applies}).
 *
 * <p>Because a tile lies within rows and the stride is fixed, a tile's input pixels sit at
 * constant distances (0, 2, … 12) from one running index per row, which the JIT folds into the
 * loads' displacements and covers with one bounds check; {@link PackedConv} reads each pixel
 * through a table (a tile may span rows), an add and a check per pixel. The reduction runs as an
 * outer loop over taps and an inner loop with one constant step in the input: over the input
 * channels (step: a plane) where there are many, else over the kernel's columns (step 1; the
 * 3-channel stem). A plane whose width or height is not a multiple of the tile ends with a tile
 * moved back to overlap the one before it, so every tile is whole (the overlap is computed twice,
 * stored once).
 *
 * <p>Each tile method stores its own accumulators: a shared helper taking the 14 vectors was
 * compiled as a call of its own beside the large written-out stem method, which passes vectors as
 * boxed objects (the compiled ResNet-18 ran 1.2-1.5x slower with it).
 *
 * <p>Threads take (channel panel, row pair) items; each finishes whole output rows of {@code L}
 * channels and reports them to {@link PackedConv.BlockDone}.
 */
final class StridedConv {
    private StridedConv() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Output rows per register tile. */
    static final int ROWS = 2;
    /** Output columns per register tile (7 divides every ResNet plane's width). */
    static final int COLS = 7;
    /** The horizontal stride the tile's constant offsets assume. */
    private static final int STRIDE = 2;

    /**
     * Whether a tile's channel vectors are stored into the output planes by one scatter each
     * (AVX-512's instruction), instead of a scalar transpose of the tile: C5, C8 and C11 of
     * ResNet-18 ran 1.1-1.5x faster.
     */
    private static final boolean SCATTER = !"off".equals(System.getProperty("sinter.conv.strided.scatter", "auto"));

    private static final boolean ENABLED = !"off".equals(System.getProperty("sinter.conv.strided", "auto"));

    /**
     * AVX-512 (16-float vectors), ungrouped, undilated, horizontal stride 2, planes of at least one
     * tile, at least a vector of output channels. On AVX2 these tiles measured 0.5-0.8x
     * {@link PackedConv}'s speed (14 accumulators leave its 16 registers no room), so it keeps that.
     */
    static boolean applies(ConvGeometry g) {
        return ENABLED && L >= 16 && g.groups() == 1 && g.dh() == 1 && g.dw() == 1 && g.sw() == STRIDE && g.k() >= L
                && g.oh() >= ROWS && g.ow() >= COLS;
    }

    /**
     * The filter packed as {@code [panel][outer][inner][L]} (channels past k zero): the reduction's
     * outer loop runs over {@code outerX} (each entry an input offset from a tile's pixel) and its
     * inner loop {@code inner} steps of {@code innerStep} floats in the input.
     */
    record Filter(ConvGeometry geometry, float[] data, int panels, PackedConv.Addressing at, int[] outerX, int inner, int innerStep, int vectors,
                  int[] planes) {
        /** Output rows per tile: two vectors of channels take one row, one vector two rows (14 accumulators either way). */
        int rows() {
            return rowsFor(vectors);
        }
    }

    /**
     * The register tile this kernel runs on {@code g} (which it must apply to): two channel vectors
     * by one row where the reduction's inner loop runs over input channels and there are {@code 2L}
     * output channels, else one vector by {@link #ROWS} rows; {@link #COLS} columns either way.
     */
    static PackedConv.StridedTile tile(ConvGeometry g) {
        boolean channelsInner = g.c() >= g.kw();
        int vectors = channelsInner && g.k() >= 2 * L ? 2 : 1;
        return new PackedConv.StridedTile(L, vectors, rowsFor(vectors), COLS, channelsInner);
    }

    /** Output rows per tile: two vectors of channels take one row, one vector two rows (14 accumulators either way). */
    private static int rowsFor(int vectors) {
        return vectors == 2 ? 1 : ROWS;
    }

    static Filter pack(ConvGeometry g, float[] w, int off) {
        PackedConv.Addressing at = PackedConv.Addressing.of(g);
        PackedConv.StridedTile tile = tile(g);
        boolean channelsInner = tile.channelsInner();
        int taps = g.kh() * g.kw(), outers = channelsInner ? taps : g.c() * g.kh(), inner = channelsInner ? g.c() : g.kw();
        int[] outerX = new int[outers];
        for (int o = 0; o < outers; o++) {
            outerX[o] = channelsInner ? o / g.kw() * at.rowStride() + o % g.kw()
                    : o / g.kh() * at.planeStride() + o % g.kh() * at.rowStride();
        }
        // Two channel vectors per tile where the inner loop runs over channels (7 broadcasts per 14 multiply-adds, not 14).
        int vectors = tile.vectors(), width = vectors * L;
        int panels = Math.ceilDiv(g.k(), width), perPanel = outers * inner * width;
        float[] data = new float[panels * perPanel];
        for (int k = 0; k < g.k(); k++) {
            int base = k / width * perPanel + k % width;
            for (int c = 0; c < g.c(); c++)
                for (int i = 0; i < g.kh(); i++)
                    for (int j = 0; j < g.kw(); j++) {
                        int slot = channelsInner ? (i * g.kw() + j) * inner + c : (c * g.kh() + i) * inner + j;
                        data[base + slot * width] = w[off + ((k * g.c() + c) * g.kh() + i) * g.kw() + j];
                    }
        }
        int[] planes = null;
        if (SCATTER) {
            planes = new int[L];
            for (int q = 0; q < L; q++) planes[q] = q * g.outPlane();
        }
        return new Filter(g, data, panels, at, outerX, inner, channelsInner ? at.planeStride() : 1, vectors, planes);
    }

    /** {@code y = conv(x, filter) + bias} (bias may be null) on dense NCHW arrays; {@code done} (may be null) hears of each finished block. */
    static void conv(ConvGeometry g, int n, float[] x, int xOff, Filter f, float[] bias, int bOff, float[] y, int yOff, PackedConv.BlockDone done) {
        PackedConv.Addressing at = f.at();
        float[] in = at.padded() ? PackedConv.padded(g, at, n, x, xOff) : x;
        int inOff = at.padded() ? 0 : xOff;
        int rows = f.rows(), width = f.vectors() * L, rowBlocks = Math.ceilDiv(g.oh(), rows), items = f.panels() * rowBlocks;
        int plane = g.outPlane(), panelFloats = f.outerX().length * f.inner() * width;
        Parallel.forRange(n * items, 1, (s, e) -> {
            float[] tile = new float[ROWS * COLS * L];
            for (int item = s; item < e; item++) {
                int sample = item / items, panel = item % items / rowBlocks, oy = item % rowBlocks * rows;
                int oy0 = Math.min(oy, g.oh() - rows), k0 = panel * width, nk = Math.min(width, g.k() - k0);
                int xBase = inOff + sample * g.c() * at.planeStride() + oy0 * g.sh() * at.rowStride();
                int yBase = yOff + (sample * g.k() + k0) * plane;
                for (int ox = 0; ox < g.ow(); ox += COLS) {
                    int ox0 = Math.min(ox, g.ow() - COLS), p = xBase + ox0 * STRIDE;
                    if (width > L) tileSumsWide(in, p, f, panel * panelFloats, tile);
                    else if (f.innerStep() == 1 && f.inner() == 7) tileSums7(in, p, p + g.sh() * at.rowStride(), f, panel * panelFloats, tile);
                    else tileSums(in, p, p + g.sh() * at.rowStride(), f, panel * panelFloats, tile);
                    // Tile element (r, j, channel q) at tile[(r * COLS + j) * width + q]: rows and columns before (oy, ox) were stored by the tile before.
                    if (f.planes() != null && nk == width) scatter(tile, oy - oy0, rows, ox - ox0, width, bias, bOff + k0, y, yBase + oy0 * g.ow() + ox0, g.ow(), f.planes());
                    else {
                        for (int q = 0; q < nk; q++) {
                            float b = bias == null ? 0f : bias[bOff + k0 + q];
                            for (int r = oy - oy0; r < rows; r++) {
                                int out = yBase + q * plane + (oy0 + r) * g.ow() + ox0;
                                for (int j = ox - ox0; j < COLS; j++) y[out + j] = tile[(r * COLS + j) * width + q] + b;
                            }
                        }
                    }
                }
                if (done != null) done.done(sample, k0, nk, oy * g.ow(), Math.min(rows, g.oh() - oy) * g.ow());
            }
        });
    }

    /**
     * Stores tile rows {@code r0..rows-1}, columns {@code j0..COLS-1} of a whole panel's channels
     * (plus bias) into the output planes: one scatter per pixel and channel vector,
     * {@code planes[q]} floats apart. (A partial panel takes the scalar path: a masked scatter
     * checks the bounds of its unset lanes too.)
     */
    private static void scatter(float[] tile, int r0, int rows, int j0, int width, float[] bias, int bOff,
                                float[] y, int out, int ow, int[] planes) {
        for (int h = 0; h < width; h += L) {
            FloatVector b = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff + h);
            int yh = out + h * planes[1];
            for (int r = r0; r < rows; r++)
                for (int j = j0; j < COLS; j++)
                    ((FloatVector) FLOAT.cast(FloatVector.fromArray(S, tile, (r * COLS + j) * width + h))).add(b).intoArray(y, yh + r * ow + j, planes, 0);
        }
    }

    /**
     * {@code tile[r][j][lane]}: the sums for output pixels j of the two rows whose first input
     * pixels are at {@code p} and {@code q}, over every (outer, inner) step of the reduction.
     */
    private static void tileSums(float[] x, int p, int q, Filter f, int wBase, float[] tile) {
        float[] w = f.data();
        int[] outerX = f.outerX();
        int inner = f.inner(), step = f.innerStep(), wi = wBase;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0;
        for (int o = 0; o < outerX.length; o++) {
            int u = p + outerX[o], v = q + outerX[o];
            for (int m = 0; m < inner; m++, u += step, v += step, wi += L) {
                FloatVector wv = FloatVector.fromArray(S, w, wi);
            a0 = wv.fma(FloatVector.broadcast(S, x[u]), a0);
            a1 = wv.fma(FloatVector.broadcast(S, x[u + 2]), a1);
            a2 = wv.fma(FloatVector.broadcast(S, x[u + 4]), a2);
            a3 = wv.fma(FloatVector.broadcast(S, x[u + 6]), a3);
            a4 = wv.fma(FloatVector.broadcast(S, x[u + 8]), a4);
            a5 = wv.fma(FloatVector.broadcast(S, x[u + 10]), a5);
            a6 = wv.fma(FloatVector.broadcast(S, x[u + 12]), a6);
            b0 = wv.fma(FloatVector.broadcast(S, x[v]), b0);
            b1 = wv.fma(FloatVector.broadcast(S, x[v + 2]), b1);
            b2 = wv.fma(FloatVector.broadcast(S, x[v + 4]), b2);
            b3 = wv.fma(FloatVector.broadcast(S, x[v + 6]), b3);
            b4 = wv.fma(FloatVector.broadcast(S, x[v + 8]), b4);
            b5 = wv.fma(FloatVector.broadcast(S, x[v + 10]), b5);
            b6 = wv.fma(FloatVector.broadcast(S, x[v + 12]), b6);
            }
        }
        ((FloatVector) FLOAT.cast(a0)).intoArray(tile, 0);
        ((FloatVector) FLOAT.cast(a1)).intoArray(tile, L);
        ((FloatVector) FLOAT.cast(a2)).intoArray(tile, 2 * L);
        ((FloatVector) FLOAT.cast(a3)).intoArray(tile, 3 * L);
        ((FloatVector) FLOAT.cast(a4)).intoArray(tile, 4 * L);
        ((FloatVector) FLOAT.cast(a5)).intoArray(tile, 5 * L);
        ((FloatVector) FLOAT.cast(a6)).intoArray(tile, 6 * L);
        ((FloatVector) FLOAT.cast(b0)).intoArray(tile, 7 * L);
        ((FloatVector) FLOAT.cast(b1)).intoArray(tile, 8 * L);
        ((FloatVector) FLOAT.cast(b2)).intoArray(tile, 9 * L);
        ((FloatVector) FLOAT.cast(b3)).intoArray(tile, 10 * L);
        ((FloatVector) FLOAT.cast(b4)).intoArray(tile, 11 * L);
        ((FloatVector) FLOAT.cast(b5)).intoArray(tile, 12 * L);
        ((FloatVector) FLOAT.cast(b6)).intoArray(tile, 13 * L);
    }
    /**
     * {@link #tileSums} for a 7-wide kernel row at stride 2 (the stem), written out by input column:
     * column k of a row feeds pixel c through tap k - 2c, so each of the row's 19 input values is
     * loaded once for the up to 4 taps that read it (49 loads become 19), with the row's 7 weight
     * vectors held in registers (22 vectors: AVX-512 only).
     */
    private static void tileSums7(float[] x, int p, int q, Filter f, int wBase, float[] tile) {
        float[] w = f.data();
        int[] outerX = f.outerX();
        int wi = wBase;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0;
        for (int o = 0; o < outerX.length; o++, wi += 7 * L) {
            int u = p + outerX[o], t = q + outerX[o];
            FloatVector w0 = FloatVector.fromArray(S, w, wi), w1 = FloatVector.fromArray(S, w, wi + L), w2 = FloatVector.fromArray(S, w, wi + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, w, wi + 3 * L), w4 = FloatVector.fromArray(S, w, wi + 4 * L), w5 = FloatVector.fromArray(S, w, wi + 5 * L);
            FloatVector w6 = FloatVector.fromArray(S, w, wi + 6 * L), v;
            v = FloatVector.broadcast(S, x[u]);
            a0 = w0.fma(v, a0);
            v = FloatVector.broadcast(S, x[u + 1]);
            a0 = w1.fma(v, a0);
            v = FloatVector.broadcast(S, x[u + 2]);
            a0 = w2.fma(v, a0); a1 = w0.fma(v, a1);
            v = FloatVector.broadcast(S, x[u + 3]);
            a0 = w3.fma(v, a0); a1 = w1.fma(v, a1);
            v = FloatVector.broadcast(S, x[u + 4]);
            a0 = w4.fma(v, a0); a1 = w2.fma(v, a1); a2 = w0.fma(v, a2);
            v = FloatVector.broadcast(S, x[u + 5]);
            a0 = w5.fma(v, a0); a1 = w3.fma(v, a1); a2 = w1.fma(v, a2);
            v = FloatVector.broadcast(S, x[u + 6]);
            a0 = w6.fma(v, a0); a1 = w4.fma(v, a1); a2 = w2.fma(v, a2); a3 = w0.fma(v, a3);
            v = FloatVector.broadcast(S, x[u + 7]);
            a1 = w5.fma(v, a1); a2 = w3.fma(v, a2); a3 = w1.fma(v, a3);
            v = FloatVector.broadcast(S, x[u + 8]);
            a1 = w6.fma(v, a1); a2 = w4.fma(v, a2); a3 = w2.fma(v, a3); a4 = w0.fma(v, a4);
            v = FloatVector.broadcast(S, x[u + 9]);
            a2 = w5.fma(v, a2); a3 = w3.fma(v, a3); a4 = w1.fma(v, a4);
            v = FloatVector.broadcast(S, x[u + 10]);
            a2 = w6.fma(v, a2); a3 = w4.fma(v, a3); a4 = w2.fma(v, a4); a5 = w0.fma(v, a5);
            v = FloatVector.broadcast(S, x[u + 11]);
            a3 = w5.fma(v, a3); a4 = w3.fma(v, a4); a5 = w1.fma(v, a5);
            v = FloatVector.broadcast(S, x[u + 12]);
            a3 = w6.fma(v, a3); a4 = w4.fma(v, a4); a5 = w2.fma(v, a5); a6 = w0.fma(v, a6);
            v = FloatVector.broadcast(S, x[u + 13]);
            a4 = w5.fma(v, a4); a5 = w3.fma(v, a5); a6 = w1.fma(v, a6);
            v = FloatVector.broadcast(S, x[u + 14]);
            a4 = w6.fma(v, a4); a5 = w4.fma(v, a5); a6 = w2.fma(v, a6);
            v = FloatVector.broadcast(S, x[u + 15]);
            a5 = w5.fma(v, a5); a6 = w3.fma(v, a6);
            v = FloatVector.broadcast(S, x[u + 16]);
            a5 = w6.fma(v, a5); a6 = w4.fma(v, a6);
            v = FloatVector.broadcast(S, x[u + 17]);
            a6 = w5.fma(v, a6);
            v = FloatVector.broadcast(S, x[u + 18]);
            a6 = w6.fma(v, a6);
            v = FloatVector.broadcast(S, x[t]);
            b0 = w0.fma(v, b0);
            v = FloatVector.broadcast(S, x[t + 1]);
            b0 = w1.fma(v, b0);
            v = FloatVector.broadcast(S, x[t + 2]);
            b0 = w2.fma(v, b0); b1 = w0.fma(v, b1);
            v = FloatVector.broadcast(S, x[t + 3]);
            b0 = w3.fma(v, b0); b1 = w1.fma(v, b1);
            v = FloatVector.broadcast(S, x[t + 4]);
            b0 = w4.fma(v, b0); b1 = w2.fma(v, b1); b2 = w0.fma(v, b2);
            v = FloatVector.broadcast(S, x[t + 5]);
            b0 = w5.fma(v, b0); b1 = w3.fma(v, b1); b2 = w1.fma(v, b2);
            v = FloatVector.broadcast(S, x[t + 6]);
            b0 = w6.fma(v, b0); b1 = w4.fma(v, b1); b2 = w2.fma(v, b2); b3 = w0.fma(v, b3);
            v = FloatVector.broadcast(S, x[t + 7]);
            b1 = w5.fma(v, b1); b2 = w3.fma(v, b2); b3 = w1.fma(v, b3);
            v = FloatVector.broadcast(S, x[t + 8]);
            b1 = w6.fma(v, b1); b2 = w4.fma(v, b2); b3 = w2.fma(v, b3); b4 = w0.fma(v, b4);
            v = FloatVector.broadcast(S, x[t + 9]);
            b2 = w5.fma(v, b2); b3 = w3.fma(v, b3); b4 = w1.fma(v, b4);
            v = FloatVector.broadcast(S, x[t + 10]);
            b2 = w6.fma(v, b2); b3 = w4.fma(v, b3); b4 = w2.fma(v, b4); b5 = w0.fma(v, b5);
            v = FloatVector.broadcast(S, x[t + 11]);
            b3 = w5.fma(v, b3); b4 = w3.fma(v, b4); b5 = w1.fma(v, b5);
            v = FloatVector.broadcast(S, x[t + 12]);
            b3 = w6.fma(v, b3); b4 = w4.fma(v, b4); b5 = w2.fma(v, b5); b6 = w0.fma(v, b6);
            v = FloatVector.broadcast(S, x[t + 13]);
            b4 = w5.fma(v, b4); b5 = w3.fma(v, b5); b6 = w1.fma(v, b6);
            v = FloatVector.broadcast(S, x[t + 14]);
            b4 = w6.fma(v, b4); b5 = w4.fma(v, b5); b6 = w2.fma(v, b6);
            v = FloatVector.broadcast(S, x[t + 15]);
            b5 = w5.fma(v, b5); b6 = w3.fma(v, b6);
            v = FloatVector.broadcast(S, x[t + 16]);
            b5 = w6.fma(v, b5); b6 = w4.fma(v, b6);
            v = FloatVector.broadcast(S, x[t + 17]);
            b6 = w5.fma(v, b6);
            v = FloatVector.broadcast(S, x[t + 18]);
            b6 = w6.fma(v, b6);
        }
        ((FloatVector) FLOAT.cast(a0)).intoArray(tile, 0);
        ((FloatVector) FLOAT.cast(a1)).intoArray(tile, L);
        ((FloatVector) FLOAT.cast(a2)).intoArray(tile, 2 * L);
        ((FloatVector) FLOAT.cast(a3)).intoArray(tile, 3 * L);
        ((FloatVector) FLOAT.cast(a4)).intoArray(tile, 4 * L);
        ((FloatVector) FLOAT.cast(a5)).intoArray(tile, 5 * L);
        ((FloatVector) FLOAT.cast(a6)).intoArray(tile, 6 * L);
        ((FloatVector) FLOAT.cast(b0)).intoArray(tile, 7 * L);
        ((FloatVector) FLOAT.cast(b1)).intoArray(tile, 8 * L);
        ((FloatVector) FLOAT.cast(b2)).intoArray(tile, 9 * L);
        ((FloatVector) FLOAT.cast(b3)).intoArray(tile, 10 * L);
        ((FloatVector) FLOAT.cast(b4)).intoArray(tile, 11 * L);
        ((FloatVector) FLOAT.cast(b5)).intoArray(tile, 12 * L);
        ((FloatVector) FLOAT.cast(b6)).intoArray(tile, 13 * L);
    }

    /** {@link #tileSums} for two channel vectors by one row of 7: {@code tile[j][lane]} over {@code 2L} lanes. */
    private static void tileSumsWide(float[] x, int p, Filter f, int wBase, float[] tile) {
        float[] w = f.data();
        int[] outerX = f.outerX();
        int inner = f.inner(), step = f.innerStep(), wi = wBase;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0;
        for (int o = 0; o < outerX.length; o++) {
            int u = p + outerX[o];
            for (int m = 0; m < inner; m++, u += step, wi += 2 * L) {
                FloatVector w0 = FloatVector.fromArray(S, w, wi), w1 = FloatVector.fromArray(S, w, wi + L);
                FloatVector v = FloatVector.broadcast(S, x[u]);
            a0 = w0.fma(v, a0);
            b0 = w1.fma(v, b0);
            v = FloatVector.broadcast(S, x[u + 2]);
            a1 = w0.fma(v, a1);
            b1 = w1.fma(v, b1);
            v = FloatVector.broadcast(S, x[u + 4]);
            a2 = w0.fma(v, a2);
            b2 = w1.fma(v, b2);
            v = FloatVector.broadcast(S, x[u + 6]);
            a3 = w0.fma(v, a3);
            b3 = w1.fma(v, b3);
            v = FloatVector.broadcast(S, x[u + 8]);
            a4 = w0.fma(v, a4);
            b4 = w1.fma(v, b4);
            v = FloatVector.broadcast(S, x[u + 10]);
            a5 = w0.fma(v, a5);
            b5 = w1.fma(v, b5);
            v = FloatVector.broadcast(S, x[u + 12]);
            a6 = w0.fma(v, a6);
            b6 = w1.fma(v, b6);
            }
        }
        int row = 2 * L;
        ((FloatVector) FLOAT.cast(a0)).intoArray(tile, 0);
        ((FloatVector) FLOAT.cast(b0)).intoArray(tile, L);
        ((FloatVector) FLOAT.cast(a1)).intoArray(tile, row);
        ((FloatVector) FLOAT.cast(b1)).intoArray(tile, row + L);
        ((FloatVector) FLOAT.cast(a2)).intoArray(tile, 2 * row);
        ((FloatVector) FLOAT.cast(b2)).intoArray(tile, 2 * row + L);
        ((FloatVector) FLOAT.cast(a3)).intoArray(tile, 3 * row);
        ((FloatVector) FLOAT.cast(b3)).intoArray(tile, 3 * row + L);
        ((FloatVector) FLOAT.cast(a4)).intoArray(tile, 4 * row);
        ((FloatVector) FLOAT.cast(b4)).intoArray(tile, 4 * row + L);
        ((FloatVector) FLOAT.cast(a5)).intoArray(tile, 5 * row);
        ((FloatVector) FLOAT.cast(b5)).intoArray(tile, 5 * row + L);
        ((FloatVector) FLOAT.cast(a6)).intoArray(tile, 6 * row);
        ((FloatVector) FLOAT.cast(b6)).intoArray(tile, 6 * row + L);
    }
}
