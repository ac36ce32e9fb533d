package org.sinter.kernels.conv;

import static org.sinter.kernels.ExactVectors.FLOAT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Parallel;

/**
 * Float32 3x3, stride-1 convolution by Winograd's minimal filtering ({@link WinogradTransform}):
 * F(m x m, 3 x 3) does {@code (m+2)²} multiply-adds per {@code m²} outputs and channel pair where a
 * direct kernel does {@code 9 m²} (2.25x fewer for m = 2, 4x for m = 4).
 *
 * <p>The output planes are cut into {@code m x m} tiles (the last row and column of tiles may hang
 * over the edge: they are computed on zero padding and only their valid pixels stored). For a chunk
 * of whole tile rows (of one or several samples):
 * <ol>
 *   <li>the input tiles are gathered from the zero-padded input and transformed, {@code V = Bᵀ d B},
 *       vectorized over tiles, into a scratch laid out {@code V[ξ][c][tile]};</li>
 *   <li>each of the {@code (m+2)²} points ξ is one matrix product
 *       {@code M[ξ] = U[ξ] · V[ξ]} ({@code [K x C] · [C x tiles]}), with the
 *       filter {@code U = G g Gᵀ} transformed once ({@link #pack}: the compiler does it at compile
 *       time) and packed for {@link WinogradProduct}'s register-tiled kernel;</li>
 *   <li>the output transform {@code Y = Aᵀ M A} adds the bias, applies an optional ReLU and stores
 *       each tile's valid pixels in the NCHW output; {@code done} then hears of each finished band
 *       of output rows (the compiler's epilogue runs there, as after {@link PackedConv}).</li>
 * </ol>
 * Chunks are sized so that V and M stay in L2; threads take whole chunks when there are enough of
 * them, otherwise each phase of a chunk is split (over channels, points, output channels). Scratch
 * is per thread and reused from call to call; nothing is allocated per element.
 */
public final class WinogradConv {
    private WinogradConv() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Floats of V and M per chunk: about 1 MB, an L2's worth. */
    private static final int CHUNK_FLOATS = 1 << 18;

    /**
     * System property {@code sinter.conv.winograd}: "auto" (the default: where {@link #preferred}
     * says it is faster), "on" (every convolution it {@link #applies} to) or "off" (never).
     */
    static final String MODE = System.getProperty("sinter.conv.winograd", "auto");

    /** 3x3 kernel, unit stride and dilation, one group (any padding, any sizes). */
    public static boolean applies(ConvGeometry g) {
        return g.kh() == 3 && g.kw() == 3 && g.sh() == 1 && g.sw() == 1 && g.dh() == 1 && g.dw() == 1
                && g.groups() == 1 && g.oh() > 0 && g.ow() > 0 && g.c() > 0 && g.k() > 0;
    }

    /**
     * Whether a float32 convolution of {@code n} samples should run here rather than on
     * {@link PackedConv}: {@code prepacked} when its filter is transformed once for many calls (the
     * compiler), false when each call transforms it (eager). See {@code docs/benchmarks.md},
     * "Winograd convolution", for the measurements behind the rule.
     */
    public static boolean preferred(ConvGeometry g, int n, boolean prepacked) {
        if (!applies(g) || "off".equals(MODE)) return false;
        if ("on".equals(MODE)) return true;
        if (g.c() < MIN_CHANNELS || g.k() < MIN_CHANNELS) return false;
        int m = tileSize(g, n);
        long tiles = (long) n * tiles(g, m);
        // A call of a few tiles (ResNet-18 on 28² MNIST inputs at batch 1: 4², 2², 1² planes) is bound by reading
        // the filter, and the transformed one is (m+2)²/9 the direct kernel's: docs/benchmarks.md, "Winograd on tiny planes".
        if (tiles < MIN_TILES) return false;
        // Up to a vector of tiles (ResNet-18's 14² and 7² layers at batch 1) the call is bound by reading the transformed
        // filter, 4x (F(4x4)) or 1.8x (F(2x2)) the raw one: in a whole model the direct channels-last kernel takes 0.64x
        // the time on 7², 0.95x on 14² (docs/benchmarks.md, "Channels-last direct convolution").
        if (tiles <= CHANNELS_LAST_MAX_TILES && ChannelsLastConv.applies(g)) return false;
        // F(2x2) planes (ResNet's 14² and 7² at batch 1) gain on 16-float vectors (0.65-0.85x the direct kernel), not on AVX2's 8 (1.0-1.1x).
        if (m == 2 && L < 16) return false;
        // Transforming the filter each call costs (m+2)² K C work, repaid only over enough tiles.
        return prepacked || tiles >= EAGER_MIN_TILES;
    }

    /** Fewest input and output channels for which the transforms pay. */
    static final int MIN_CHANNELS = 16;
    /** Fewest tiles per call for which the transformed filter's extra traffic pays, even packed once. */
    static final int MIN_TILES = 16;
    /** Most tiles per call for which {@link ChannelsLastConv} runs the layer instead. */
    static final int CHANNELS_LAST_MAX_TILES = 16;
    /** Fewest tiles per call for which an eager call's filter transform pays. */
    static final int EAGER_MIN_TILES = 128;

    /** The output tile side for {@code g} at batch 1: {@link #tileSize(ConvGeometry, int)}. */
    public static int tileSize(ConvGeometry g) {
        return tileSize(g, 1);
    }

    /**
     * The output tile side for {@code g} on calls of {@code n} samples: 4 where the plane is at least
     * {@link #F4_MIN_SIDE} on each side or the call has at least {@link #F4_MIN_TILES} 4x4 tiles, else 2.
     * Measured (docs/benchmarks.md, "ResNet-18's 3×3 stride-1 layers by batch"): F(4x4) is the faster on
     * 24² (Lab 1 CNN), 28² and 56²; on 14² from batch 1 (16 tiles, one chunk) and on 7² from batch 4, where it
     * does 36 products per 16 outputs against F(2x2)'s 64; F(2x2) on 7² at batch 1 (4 tiles: a quarter of a vector).
     */
    public static int tileSize(ConvGeometry g, int n) {
        return Math.min(g.oh(), g.ow()) >= F4_MIN_SIDE || (long) n * tiles(g, 4) >= F4_MIN_TILES ? 4 : 2;
    }

    static final int F4_MIN_SIDE = 16;
    /** Fewest 4x4 tiles per call (a vector of 16) from which F(4x4) runs on a small plane. */
    static final int F4_MIN_TILES = 16;

    private static int tiles(ConvGeometry g, int m) {
        return Math.ceilDiv(g.oh(), m) * Math.ceilDiv(g.ow(), m);
    }

    /** A filter transformed for F(m x m, 3 x 3), packed for {@link WinogradProduct} ({@code [ξ][k/6][c][k%6]}). */
    public record Filter(ConvGeometry geometry, int m, float[] u) {}

    /** Transforms a dense {@code [k, c, 3, 3]} filter from {@code w[off]} for calls of {@code n} samples ({@link #tileSize(ConvGeometry, int)}). */
    public static Filter pack(ConvGeometry g, int n, float[] w, int off) {
        return pack(g, w, off, tileSize(g, n));
    }

    /** As {@link #pack(ConvGeometry, int, float[], int)} with output tiles of {@code m x m} (2 or 4). */
    public static Filter pack(ConvGeometry g, float[] w, int off, int m) {
        if (!applies(g)) throw new IllegalArgumentException("WinogradConv: needs a 3x3, stride-1, undilated, ungrouped convolution, got " + g);
        int points = (m + 2) * (m + 2);
        return new Filter(g, m, WinogradProduct.pack(denseFilter(g, w, off, m), points, g.k(), g.c()));
    }

    /** {@code u[ξ][k][c] = (G g Gᵀ)[ξ]} of the {@code [k, c, 3, 3]} filter at {@code w[off]}. */
    private static float[] denseFilter(ConvGeometry g, float[] w, int off, int m) {
        WinogradTransform t = WinogradTransform.of(m);
        int points = t.alpha() * t.alpha(), k = g.k(), c = g.c();
        if (w.length - off < (long) k * c * 9) throw new IllegalArgumentException("WinogradConv: filter of " + (w.length - off) + " floats for " + g);
        float[] u = new float[Math.multiplyExact(points, k * c)];
        double[] tile = new double[points];
        for (int kk = 0; kk < k; kk++) {
            for (int cc = 0; cc < c; cc++) {
                t.filter(w, off + (kk * c + cc) * 9, tile);
                for (int xi = 0; xi < points; xi++) u[(xi * k + kk) * c + cc] = (float) tile[xi];
            }
        }
        return u;
    }

    /**
     * {@code y[n,k,oh,ow] = conv(x[n,c,h,w], filter) + bias[k]} (bias may be null), then ReLU where
     * {@code relu}, on dense row-major arrays; {@code done} (may be null) is called on each finished
     * block of output channels and rows, from the thread that computed it.
     */
    public static void conv(ConvGeometry g, int n, float[] x, int xOff, Filter f, float[] bias, int bOff, boolean relu,
                            float[] y, int yOff, PackedConv.BlockDone done) {
        conv(g, n, x, xOff, f, bias, bOff, relu, y, yOff, done, 0);
    }

    /**
     * As above in chunks of {@code rowsPerChunk} tile rows (numbered across the samples; {@code 0}:
     * {@link #chunkRows}'s choice), for benchmarks that compare chunk sizes.
     */
    public static void conv(ConvGeometry g, int n, float[] x, int xOff, Filter f, float[] bias, int bOff, boolean relu,
                            float[] y, int yOff, PackedConv.BlockDone done, int rowsPerChunk) {
        if (!f.geometry().equals(g)) throw new IllegalArgumentException("WinogradConv: filter transformed for " + f.geometry() + ", used for " + g);
        if (rowsPerChunk < 0) throw new IllegalArgumentException("WinogradConv: " + rowsPerChunk + " tile rows per chunk");
        if (n <= 0) return;
        long wall0 = WinogradPhases.ON ? System.nanoTime() : 0;
        int threads = Parallel.inWorker() ? 1 : Parallel.numThreads();
        Call call = new Call(g, n, f, bias, bOff, relu, y, yOff, done, threads, rowsPerChunk);
        Workspace caller = WORKSPACE.get();
        float[] pad = caller.pad(Math.multiplyExact(n * g.c(), call.planeP));
        call.pad = pad;
        int joins = 0;
        if (!call.split) {
            Parallel.forRange(n * g.c(), 16, (s, e) -> call.padPlanes(x, xOff, s, e));
            joins++;
            // Enough chunks: each thread runs whole chunks, every phase on its own scratch.
            Parallel.forRange(call.chunks, 1, (s, e) -> {
                Workspace ws = WORKSPACE.get();
                for (int i = s; i < e; i++) {
                    Chunk ch = call.setup(ws.chunk, i);
                    call.input(ch, 0, g.c(), ws);
                    call.products(ch, 0, call.points, 0, WinogradProduct.paddedRows(g.k()));
                    call.output(ch, 0, g.k(), ws);
                }
            });
            joins++;
        } else {
            // Few chunks (a small plane at batch 1): the threads share each chunk's input transform by
            // channels, then each takes blocks of output channels through their products and output
            // transform (two fork/joins per chunk, and a block's M is read back while still in cache).
            // The first chunk's input tasks zero-pad their own channels' planes (of every sample) first:
            // no fork/join of its own for the padding.
            int blocks = WinogradProduct.paddedRows(g.k()) / WinogradProduct.ROWS;
            for (int i = 0; i < call.chunks; i++) {
                Chunk ch = call.setup(caller.chunk, i);
                boolean first = i == 0;
                Parallel.forRange(g.c(), 1, (s, e) -> {
                    if (first) for (int sample = 0; sample < n; sample++) call.padPlanes(x, xOff, sample * g.c() + s, sample * g.c() + e);
                    call.input(ch, s, e, WORKSPACE.get());
                });
                Parallel.forRange(blocks, 1, (s, e) -> {
                    int k0 = s * WinogradProduct.ROWS, k1 = Math.min(g.k(), e * WinogradProduct.ROWS);
                    call.products(ch, 0, call.points, k0, e * WinogradProduct.ROWS);
                    call.output(ch, k0, k1, WORKSPACE.get());
                });
                joins += 2;
            }
        }
        if (WinogradPhases.ON) WinogradPhases.call(System.nanoTime() - wall0, joins);
    }

    /**
     * The schedule {@link #conv} runs for {@code n} samples on {@code threads} threads with a filter
     * of {@code m x m} tiles: tile rows per chunk (the last chunk may have fewer), whether the threads
     * share each chunk ({@code split}: the input transform by channels, then products and output
     * transform by blocks of output channels) or take whole chunks, and the products' register tile
     * ({@code productRows} output channels x {@code productVectors} vectors of tiles). For the
     * auto-tuner, whose Winograd template must contain this point.
     */
    public record Plan(int m, int rowsPerChunk, int chunks, boolean split, int productRows, int productVectors) {}

    /** The {@link Plan} of {@link #conv} for {@code g}, {@code n} samples, tiles of {@code m} and {@code threads} threads. */
    public static Plan plan(ConvGeometry g, int n, int m, int threads) {
        Call c = new Call(g, n, new Filter(g, m, null), null, 0, false, null, 0, null, threads, 0);
        return new Plan(c.m, c.rowsPer, c.chunks, c.split, WinogradProduct.ROWS, 2);
    }

    /**
     * Tile rows per chunk for output tiles of {@code m x m}: as many as keep the chunk's V and M in
     * L2 ({@link #CHUNK_FLOATS}); but where the transformed filter is larger than that (ResNet's
     * 128- to 512-channel layers: 2.4-38 MB), the products read all of it once per chunk, so a chunk
     * takes at least {@link #FILTER_REUSE_TILES} tiles (then V and M may leave L2, streamed once each),
     * as far as one point of V ({@code C x tiles}, re-read per block of output channels) stays within
     * {@link #V_POINT_FLOATS}.
     */
    static int chunkRows(ConvGeometry g, int m) {
        int points = (m + 2) * (m + 2), tx = Math.ceilDiv(g.ow(), m);
        long perRow = (long) points * (g.c() + g.k()) * tx;
        int rows = (int) Math.max(1, CHUNK_FLOATS / perRow);
        if ((long) points * g.k() * g.c() <= CHUNK_FLOATS) return rows;
        int reuse = Math.ceilDiv(FILTER_REUSE_TILES, tx), vPoint = (int) Math.max(1, V_POINT_FLOATS / ((long) g.c() * tx));
        return Math.max(rows, Math.min(reuse, vPoint));
    }

    /** Fewest tiles per chunk over which each float of a large transformed filter is reused (see {@link #chunkRows}). */
    static final int FILTER_REUSE_TILES = 64;
    /** Most floats of one point of V (256 KB: a quarter of an L2, which the products re-read per block of output channels). */
    static final int V_POINT_FLOATS = 1 << 16;

    /** A chunk of whole tile rows {@code [r0, r1)} (numbered across samples) and its scratch. */
    private static final class Chunk {
        int r0, r1, tiles, stride, vPoint, mPoint;
        float[] v = new float[0], m = new float[0];
        /** Per tile: its top-left in the padded input; its top-left in y; its valid rows and columns. */
        int[] origin = new int[0], outOrigin = new int[0], rows = new int[0], cols = new int[0];
        /** Per vector of tiles: whether all {@link #L} of its tiles are whole {@code m x m} tiles. */
        boolean[] full = new boolean[0];
        /** Per group of {@code L/4} tiles (F(4x4)): whether they are whole and side by side in y (a tile row of them is one vector store). */
        boolean[] adjacent = new boolean[0];
    }

    /** One thread's buffers: the padded input (when it calls), a chunk, and the transforms' registers spilled to L1. */
    private static final class Workspace {
        float[] pad = new float[0];
        final Chunk chunk = new Chunk();
        final float[] column = new float[6 * L], rowT = new float[36 * L], out = new float[16 * L], rows = new float[4 * L];

        float[] pad(int floats) {
            if (pad.length < floats) pad = new float[floats];
            return pad;
        }
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** One call's geometry, operands and tiling. */
    private static final class Call {
        final ConvGeometry g;
        final int n, m, a, points, tx, ty, hp, wp, planeP, rowsPer, chunks, bOff, yOff;
        /** Whether the threads share each chunk (too few chunks for each to take whole ones). */
        final boolean split;
        final Filter f;
        final float[] bias, y;
        final boolean relu;
        final PackedConv.BlockDone done;
        final WinogradTransform.SparseRow[] bt, at;
        float[] pad;

        /**
         * With chunks of {@code rowsPer} tile rows ({@code 0}: {@link #chunkRows}'s choice);
         * {@code threads} decides whether the threads share each chunk.
         */
        Call(ConvGeometry g, int n, Filter f, float[] bias, int bOff, boolean relu, float[] y, int yOff, PackedConv.BlockDone done, int threads,
                int rowsPer) {
            this.g = g;
            this.n = n;
            this.f = f;
            this.bias = bias;
            this.bOff = bOff;
            this.relu = relu;
            this.y = y;
            this.yOff = yOff;
            this.done = done;
            WinogradTransform t = WinogradTransform.of(f.m());
            this.m = t.m();
            this.a = t.alpha();
            this.points = a * a;
            this.bt = t.btRows();
            this.at = t.atRows();
            this.tx = Math.ceilDiv(g.ow(), m);
            this.ty = Math.ceilDiv(g.oh(), m);
            this.hp = ty * m + 2;
            this.wp = tx * m + 2;
            this.planeP = hp * wp;
            int rows = Math.min(n * ty, rowsPer > 0 ? rowsPer : chunkRows(g, m));
            this.split = threads > 1 && Math.ceilDiv(n * ty, rows) < 2 * threads;
            this.rowsPer = rows;
            this.chunks = Math.ceilDiv(n * ty, this.rowsPer);
        }

        /** Zero-pads input planes {@code [p0, p1)} (numbered sample-major) of {@code x} into {@link #pad}. */
        void padPlanes(float[] x, int xOff, int p0, int p1) {
            long t0 = WinogradPhases.ON ? System.nanoTime() : 0;
            for (int pl = p0; pl < p1; pl++) PackedConv.padPlane(g, hp, wp, x, xOff + pl * g.inPlane(), pad, pl * planeP);
            if (WinogradPhases.ON) WinogradPhases.add(WinogradPhases.PAD, System.nanoTime() - t0);
        }

        /** Fills {@code ch} for chunk {@code index}: its rows and per-tile addresses; grows its scratch. */
        Chunk setup(Chunk ch, int index) {
            ch.r0 = index * rowsPer;
            ch.r1 = Math.min(n * ty, ch.r0 + rowsPer);
            ch.tiles = (ch.r1 - ch.r0) * tx;
            ch.stride = Math.ceilDiv(ch.tiles, L) * L;
            int s = ch.stride;
            if (ch.origin.length < s) {
                ch.origin = new int[s];
                ch.outOrigin = new int[s];
                ch.rows = new int[s];
                ch.cols = new int[s];
                ch.full = new boolean[s / L];
                ch.adjacent = new boolean[4 * s / L];
            }
            ch.vPoint = oddLines(g.c() * s);
            ch.mPoint = oddLines(WinogradProduct.paddedRows(g.k()) * s);
            if (ch.v.length < points * ch.vPoint) ch.v = new float[points * ch.vPoint];
            if (ch.m.length < points * ch.mPoint) ch.m = new float[points * ch.mPoint];
            int plane = g.outPlane();
            for (int r = ch.r0, t = 0; r < ch.r1; r++) {
                int sample = r / ty, row = r % ty;
                for (int col = 0; col < tx; col++, t++) {
                    ch.origin[t] = sample * g.c() * planeP + row * m * wp + col * m;
                    ch.outOrigin[t] = yOff + sample * g.k() * plane + row * m * g.ow() + col * m;
                    ch.rows[t] = Math.min(m, g.oh() - row * m);
                    ch.cols[t] = Math.min(m, g.ow() - col * m);
                }
            }
            // Lanes past the last tile gather from the first tile (in bounds); their results are never stored.
            for (int t = ch.tiles; t < s; t++) ch.origin[t] = 0;
            for (int tv = 0; tv < s; tv += L) {
                boolean whole = tv + L <= ch.tiles;
                for (int t = tv; whole && t < tv + L; t++) whole = ch.rows[t] == m && ch.cols[t] == m;
                ch.full[tv / L] = whole;
            }
            for (int t0 = 0, group = L / 4; t0 < s; t0 += group) {
                boolean side = m == 4 && t0 + group <= ch.tiles;
                for (int t = t0; side && t < t0 + group; t++) side = ch.rows[t] == 4 && ch.cols[t] == 4 && ch.outOrigin[t] == ch.outOrigin[t0] + 4 * (t - t0);
                ch.adjacent[t0 / group] = side;
            }
            return ch;
        }

        /** {@code V[ξ][c][tile] = (Bᵀ d B)[ξ]} for channels {@code [c0, c1)}, {@link #L} tiles at a time. */
        void input(Chunk ch, int c0, int c1, Workspace ws) {
            long t0 = WinogradPhases.ON ? System.nanoTime() : 0;
            float[] column = ws.column, rowT = ws.rowT, v = ch.v, src = pad;
            int[] origin = ch.origin;
            int s = ch.stride, cs = ch.vPoint;
            boolean written = m == 4;
            // Channel by channel, so that each point's row of V is written in order.
            for (int c = c0; c < c1; c++) {
                int base = c * planeP;
                for (int tv = 0; tv < ch.tiles; tv += L) {
                    if (written) {
                        for (int jx = 0; jx < a; jx++) {
                            for (int iy = 0; iy < a; iy++) gather(src, base + iy * wp + jx, origin, tv, column, iy * L);
                            WinogradF4.inputPass(column, 0, L, rowT, jx * L, a * L);
                        }
                        for (int xi = 0; xi < a; xi++) WinogradF4.inputPass(rowT, xi * a * L, L, v, xi * a * cs + c * s + tv, cs);
                        continue;
                    }
                    // Down each column of the tiles: rowT[xi][jx] = Σ_iy Bᵀ[xi][iy] d[iy][jx].
                    for (int jx = 0; jx < a; jx++) {
                        for (int iy = 0; iy < a; iy++) gather(src, base + iy * wp + jx, origin, tv, column, iy * L);
                        for (int xi = 0; xi < a; xi++) combine(bt[xi], column, 0, L, rowT, (xi * a + jx) * L);
                    }
                    // Along each row: V[xi][xj] = Σ_jx rowT[xi][jx] Bᵀ[xj][jx].
                    for (int xi = 0; xi < a; xi++)
                        for (int xj = 0; xj < a; xj++)
                            combine(bt[xj], rowT, xi * a * L, L, v, (xi * a + xj) * cs + c * s + tv);
                }
            }
            if (WinogradPhases.ON) WinogradPhases.add(WinogradPhases.INPUT, System.nanoTime() - t0);
        }

        /** {@code M[ξ] = U[ξ] · V[ξ]} for points {@code [x0, x1)} and padded output channels {@code [k0, k1)} (whole register tiles). */
        void products(Chunk ch, int x0, int x1, int k0, int k1) {
            long t0 = WinogradPhases.ON ? System.nanoTime() : 0;
            int kp = WinogradProduct.paddedRows(g.k()), c = g.c(), s = ch.stride;
            for (int xi = x0; xi < x1; xi++)
                WinogradProduct.multiply(f.u(), (xi * kp + k0) * c, k1 - k0, c, ch.v, xi * ch.vPoint, s, s, ch.m, xi * ch.mPoint + k0 * s);
            if (WinogradPhases.ON) WinogradPhases.add(WinogradPhases.PRODUCTS, System.nanoTime() - t0);
        }

        /** {@code y = Aᵀ M A + bias} (then ReLU) for output channels {@code [k0, k1)}, stored pixel by valid pixel. */
        void output(Chunk ch, int k0, int k1, Workspace ws) {
            long t0 = WinogradPhases.ON ? System.nanoTime() : 0;
            boolean written = m == 4;
            float[] rowT = ws.rowT, out = ws.out, mm = ch.m;
            int s = ch.stride, ks = ch.mPoint, plane = g.outPlane(), ow = g.ow();
            FloatVector zero = FloatVector.zero(S);
            // Channel by channel, so that each point's row of M is read in order.
            for (int k = k0; k < k1; k++) {
                float bk = bias == null ? 0f : bias[bOff + k];
                FloatVector b = FloatVector.broadcast(S, bk);
                for (int tv = 0; tv < ch.tiles; tv += L) {
                    int lanes = Math.min(L, ch.tiles - tv);
                    if (written) {
                        for (int xi = 0; xi < a; xi++) WinogradF4.outputPass(mm, xi * a * ks + k * s + tv, ks, rowT, xi * m * L, L);
                        for (int j = 0; j < m; j++) WinogradF4.outputPass(rowT, j * L, m * L, out, j * L, m * L);
                        if (ch.full[tv / L]) {
                            storeRows4(ch, tv, out, bk, relu, ws.rows, y, k * plane, ow);
                            continue;
                        }
                        for (int p = 0; p < 16; p++) {
                            FloatVector o = ((FloatVector) FLOAT.cast(FloatVector.fromArray(S, out, p * L))).add(b);
                            ((FloatVector) FLOAT.cast(relu ? o.max(zero) : o)).intoArray(out, p * L);
                        }
                    } else {
                        // Along each row of points: rowT[xi][j] = Σ_xj M[xi][xj] Aᵀ[j][xj].
                        for (int xi = 0; xi < a; xi++)
                            for (int j = 0; j < m; j++) combine(at[j], mm, xi * a * ks + k * s + tv, ks, rowT, (xi * m + j) * L);
                        // Down the columns: out[i][j] = Σ_xi Aᵀ[i][xi] rowT[xi][j].
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < m; j++) {
                                int at0 = (i * m + j) * L;
                                combine(at[i], rowT, j * L, m * L, out, at0);
                                FloatVector o = ((FloatVector) FLOAT.cast(FloatVector.fromArray(S, out, at0))).add(b);
                                ((FloatVector) FLOAT.cast(relu ? o.max(zero) : o)).intoArray(out, at0);
                            }
                        }
                    }
                    for (int lane = 0; lane < lanes; lane++) {
                        int t = tv + lane, dst = ch.outOrigin[t] + k * plane, rows = ch.rows[t], cols = ch.cols[t];
                        if (m == 4 && rows == 4 && cols == 4) {
                            storeFull4(out, lane, y, dst, ow);
                            continue;
                        }
                        for (int i = 0; i < rows; i++)
                            for (int j = 0; j < cols; j++) y[dst + i * ow + j] = out[(i * m + j) * L + lane];
                    }
                }
            }
            for (int sample = ch.r0 / ty; done != null && sample <= (ch.r1 - 1) / ty; sample++) {
                int first = Math.max(ch.r0, sample * ty) - sample * ty, last = Math.min(ch.r1, (sample + 1) * ty) - sample * ty;
                int p0 = first * m * ow, p1 = Math.min(g.oh(), last * m) * ow;
                done.done(sample, k0, k1 - k0, p0, p1 - p0);
            }
            if (WinogradPhases.ON) WinogradPhases.add(WinogradPhases.OUTPUT, System.nanoTime() - t0);
        }
    }

    /**
     * Stores a vector of whole F(4x4) tiles from {@code out} ({@code [i][j][tile]}) with bias and ReLU:
     * row by row of the tiles, the four column vectors are interleaved so that each group of
     * {@code L/4} tiles side by side in y is one vector store; other groups (across a tile row's end)
     * are stored tile by tile.
     */
    private static void storeRows4(Chunk ch, int tv, float[] out, float bias, boolean relu, float[] rows, float[] y, int yBase, int ow) {
        int group = L / 4;
        FloatVector b = FloatVector.broadcast(S, bias);
        for (int i = 0; i < 4; i++) {
            FloatVector o0 = load(out, 4 * i * L).add(b), o1 = load(out, (4 * i + 1) * L).add(b);
            FloatVector o2 = load(out, (4 * i + 2) * L).add(b), o3 = load(out, (4 * i + 3) * L).add(b);
            if (relu) {
                FloatVector zero = FloatVector.zero(S);
                o0 = o0.max(zero);
                o1 = o1.max(zero);
                o2 = o2.max(zero);
                o3 = o3.max(zero);
            }
            // Back into out, for interleave to load: vectors passed to a call the JIT may not inline are boxed.
            ((FloatVector) FLOAT.cast(o0)).intoArray(out, 4 * i * L);
            ((FloatVector) FLOAT.cast(o1)).intoArray(out, (4 * i + 1) * L);
            ((FloatVector) FLOAT.cast(o2)).intoArray(out, (4 * i + 2) * L);
            ((FloatVector) FLOAT.cast(o3)).intoArray(out, (4 * i + 3) * L);
            WinogradF4.interleave(out, 4 * i * L, rows);
            int rowBase = yBase + i * ow;
            for (int q = 0; q < 4; q++) {
                int t = tv + q * group;
                if (ch.adjacent[t / group]) {
                    ((FloatVector) FLOAT.cast(FloatVector.fromArray(S, rows, q * L))).intoArray(y, rowBase + ch.outOrigin[t]);
                    continue;
                }
                for (int u = 0; u < group; u++) System.arraycopy(rows, q * L + 4 * u, y, rowBase + ch.outOrigin[t + u], 4);
            }
        }
    }

    /**
     * The auto-tuner's entry point (sinter-autotune's Winograd template, which generates and tunes
     * the products): this class's input and output transforms around a caller's
     * {@code M[ξ] = U[ξ] · V[ξ]}, for one sample in chunks of {@code rowsPerChunk} tile rows (the
     * last chunk may have fewer, as in {@link #conv}), with V and M laid out as here:
     * {@code V[ξ·vPoint + c·stride + tile]}, {@code M[ξ·mPoint + k·stride + tile]}.
     * Not for concurrent use; the phases of a chunk may be split over threads by channel.
     */
    public static final class Stages {
        private final ConvGeometry g;
        private final int m, rowsPerChunk, stride, chunks;
        private final Chunk chunk = new Chunk();
        private final ThreadLocal<Workspace> workspace = ThreadLocal.withInitial(Workspace::new);
        private final float[][] pad = {new float[0]};
        private Call call;

        public Stages(ConvGeometry g, int m, int rowsPerChunk) {
            if (!applies(g)) throw new IllegalArgumentException("WinogradConv.Stages: needs a 3x3, stride-1, undilated, ungrouped convolution, got " + g);
            this.g = g;
            this.m = WinogradTransform.of(m).m();
            int ty = Math.ceilDiv(g.oh(), m);
            if (rowsPerChunk <= 0 || rowsPerChunk > ty) {
                throw new IllegalArgumentException("WinogradConv.Stages: " + rowsPerChunk + " tile rows per chunk for the " + ty + " tile rows of " + g);
            }
            this.rowsPerChunk = rowsPerChunk;
            this.chunks = Math.ceilDiv(ty, rowsPerChunk);
            this.stride = stride(0);
        }

        /** The row length of V and M in chunk {@code index} (its tiles rounded up to whole vectors; the last chunk's may be shorter). */
        public int stride(int index) {
            int ty = Math.ceilDiv(g.oh(), m), rows = Math.min(rowsPerChunk, ty - index * rowsPerChunk);
            return Math.ceilDiv(rows * Math.ceilDiv(g.ow(), m), L) * L;
        }

        /** Floats from one point of V to the next in chunk {@code index}. */
        public int vPoint(int index) { return oddLines(g.c() * stride(index)); }

        /** Floats from one point of M to the next in chunk {@code index}. */
        public int mPoint(int index) { return oddLines(WinogradProduct.paddedRows(g.k()) * stride(index)); }

        /** Transformed points per tile, {@code (m+2)²}. */
        public int points() { return (m + 2) * (m + 2); }

        public int chunks() { return chunks; }

        /** Tiles of a (whole) chunk rounded up to whole vectors of the preferred species: the length of a row of V and M. */
        public int stride() { return stride; }

        /** Floats from one point of V to the next in a whole chunk (an odd number of cache lines, as {@link #conv} lays them out). */
        public int vPoint() { return vPoint(0); }

        /** Floats from one point of M to the next in a whole chunk. */
        public int mPoint() { return mPoint(0); }

        /** Output channels M has room for: K rounded up to whole register tiles of the built-in product ({@link Plan#productRows}). */
        public int mRows() { return WinogradProduct.paddedRows(g.k()); }

        /** The dense {@code [ξ][k][c]} transformed filter {@code U = G g Gᵀ} of {@code [k, c, 3, 3]} weights at {@code w[off]}. */
        public float[] filter(float[] w, int off) {
            return denseFilter(g, w, off, m);
        }

        /** Starts a call: zero-pads the sample {@code x[xOff]} (planes split over the pool) and aims the output at {@code y[yOff]}. */
        public void begin(float[] x, int xOff, float[] bias, int bOff, boolean relu, float[] y, int yOff) {
            call = new Call(g, 1, new Filter(g, m, null), bias, bOff, relu, y, yOff, null, 1, rowsPerChunk);
            if (pad[0].length < g.c() * call.planeP) pad[0] = new float[g.c() * call.planeP];
            call.pad = pad[0];
            Call c = call;
            Parallel.forRange(g.c(), 16, (s, e) -> c.padPlanes(x, xOff, s, e));
        }

        /**
         * Joins the call {@code leader} began ({@link #begin}; same geometry, tile and chunk rows) on
         * the input it padded, so that another thread can take whole chunks of it on this Stages' own
         * scratch (as {@link #conv} does where there are enough chunks).
         */
        public void follow(Stages leader) {
            if (!leader.g.equals(g) || leader.m != m || leader.rowsPerChunk != rowsPerChunk || leader.call == null) {
                throw new IllegalArgumentException("WinogradConv.Stages: cannot follow a call of " + leader.g + " F(" + leader.m + ") in chunks of "
                        + leader.rowsPerChunk + " rows from " + g + " F(" + m + ") in chunks of " + rowsPerChunk);
            }
            Call c = leader.call;
            call = new Call(g, 1, c.f, c.bias, c.bOff, c.relu, c.y, c.yOff, null, 1, rowsPerChunk);
            call.pad = c.pad;
        }

        /** Sets chunk {@code index} up and returns its V; its M is {@link #products()}. */
        public float[] chunk(int index) {
            return call.setup(chunk, index).v;
        }

        /** The current chunk's M, for the caller's product to fill. */
        public float[] products() { return chunk.m; }

        /** V of the current chunk for input channels {@code [c0, c1)}. */
        public void input(int c0, int c1) { call.input(chunk, c0, c1, workspace.get()); }

        /** The output of the current chunk for output channels {@code [k0, k1)}, from M. */
        public void output(int k0, int k1) { call.output(chunk, k0, k1, workspace.get()); }
    }

    /** A whole 4x4 tile from lane {@code lane} of {@code out} into y: straight-line code, no loop bounds (the common case of F(4x4)). */
    private static void storeFull4(float[] out, int lane, float[] y, int d, int ow) {
        y[d] = out[lane];
        y[d + 1] = out[L + lane];
        y[d + 2] = out[2 * L + lane];
        y[d + 3] = out[3 * L + lane];
        d += ow;
        y[d] = out[4 * L + lane];
        y[d + 1] = out[5 * L + lane];
        y[d + 2] = out[6 * L + lane];
        y[d + 3] = out[7 * L + lane];
        d += ow;
        y[d] = out[8 * L + lane];
        y[d + 1] = out[9 * L + lane];
        y[d + 2] = out[10 * L + lane];
        y[d + 3] = out[11 * L + lane];
        d += ow;
        y[d] = out[12 * L + lane];
        y[d + 1] = out[13 * L + lane];
        y[d + 2] = out[14 * L + lane];
        y[d + 3] = out[15 * L + lane];
    }

    /**
     * {@code floats} rounded up to an odd number of cache lines: the points of V and M lie that far
     * apart, and the transforms read or write all of them at once; a stride of a multiple of 4 KB
     * (64 x 176 floats, the Lab 1 CNN's) would put every one in the same L1 set.
     */
    private static int oddLines(int floats) {
        int lines = Math.ceilDiv(floats, 16);
        return (lines | 1) * 16;
    }

    /**
     * {@code dst[dOff + q] = src[base + origin[tv + q]]} for the {@link #L} tiles of a vector: one
     * pixel of each tile, by one hardware gather. (It was a scalar loop while the Vector API's gather
     * with an index map, compiled through {@code IntVector}'s type profile, boxed its vectors once
     * other code had used integer vectors of another shape; with the result cast to its exact class
     * ({@link org.sinter.kernels.ExactVectors}), as {@link ChannelsLastConv}'s gathers are, it does not:
     * the Lab 1 CNN's 32->64 layer at batch 64 4.66 -> 3.50 ms, ResNet-18's C2 at batch 1 0.75 -> 0.55,
     * docs/benchmarks.md.)
     */
    private static void gather(float[] src, int base, int[] origin, int tv, float[] dst, int dOff) {
        ((FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base, origin, tv))).intoArray(dst, dOff);
    }

    /** A vector of {@code a} from {@code i}, cast to its exact class (see {@link #combine}). */
    private static FloatVector load(float[] a, int i) {
        return (FloatVector) FLOAT.cast(FloatVector.fromArray(S, a, i));
    }

    /**
     * {@code dst[dOff .. + L) = Σ_i coefs[i] · src[base + cols[i]·stride .. + L)}: one sparse transform
     * row over a vector of tiles. It stores its result rather than returning it: a vector returned
     * from a call the JIT does not inline is boxed ({@link org.sinter.kernels.ExactVectors}).
     */
    private static void combine(WinogradTransform.SparseRow row, float[] src, int base, int stride, float[] dst, int dOff) {
        int[] cols = row.cols();
        float[] coefs = row.coefs();
        // Loads cast to their exact class before any call on them: uncast, this loop boxed its vectors once GEMMs had
        // run first in the process (1.5 MB a call on ResNet-18's C12; docs/architecture.md, "Vectors the JIT keeps").
        // Cast in place, not through load(): with the helper, C12 boxed again (1 MB a call) after GEMMs, C2, C6, C9.
        FloatVector acc = ((FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base + cols[0] * stride))).mul(coefs[0]);
        for (int i = 1; i < cols.length; i++)
            acc = ((FloatVector) FLOAT.cast(FloatVector.fromArray(S, src, base + cols[i] * stride))).fma(FloatVector.broadcast(S, coefs[i]), acc);
        ((FloatVector) FLOAT.cast(acc)).intoArray(dst, dOff);
    }
}
