package org.sinter.compress.sparse;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Parallel;

/**
 * {@code Y (m x out) = X (m x in) · Wᵀ + b} for a pruned Linear weight W ({@code out x in}) held as
 * CSR, with X and Y row-major as a Linear sees them: no transposed copy of the whole input and none
 * of the output.
 *
 * <p>A single input row takes {@link PermuteSlices} on 16-float vectors (the input held in
 * registers and permuted, no gathers). Other small batches (fewer rows than {@link #gatherMaxRows()}) take gathers: for each output, the
 * entries of up to four input rows at the output's nonzero columns are gathered with one index
 * vector and multiplied by the values vector (register blocking over batch rows: the indices and
 * values are loaded once for four rows).
 *
 * <p>Larger batches are vectorized along the batch: a tile of up to four vectors of input rows is
 * transposed into a scratch {@code in x tile} matrix whose row k holds feature k of every row of
 * the tile, and each nonzero W[n, k] broadcasts its value into FMAs with row k, accumulating all of
 * output n's tile in registers. The columns are walked in panels whose transposed rows fit in L2
 * (a 9216-wide input transposed whole would not: every output's nonzeros would miss the cache), so
 * each output's accumulators are saved to a small scratch between panels; after the last panel they
 * are written straight into Y's rows. Tile widths and panel sizes follow the preferred vector
 * species, so the same code runs on AVX-512 (16 floats) and AVX2 (8 floats).
 */
public final class CsrLinearKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Batch rows per tile: four vectors, the widest accumulator set that stays in registers. */
    private static final int MAX_TILE = 4 * VL;
    /** Bytes of transposed input a panel may hold (a quarter of a 1 MiB L2, half of a 512 KiB one). */
    private static final int PANEL_BYTES = Integer.getInteger("sinter.sparse.panelBytes", 256 * 1024);

    private final int rows, cols;
    private final int[] rowPtr, colIdx;
    private final float[] values;
    /** The widest panel (in input columns) any tile uses: {@code PANEL_BYTES / (4 · MAX_TILE)}. */
    private final int panelCols, panels;
    /** {@code panelPtr[r·(panels+1) + p]}: where row r's nonzeros in panel p start (columns are sorted). */
    private final int[] panelPtr;
    /** The batch-1 path: the same weights in register-permuted slices. */
    private final PermuteSlices single;

    private CsrLinearKernel(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
        this.panelCols = Math.max(VL, PANEL_BYTES / (Float.BYTES * MAX_TILE));
        this.panels = Math.max(1, (cols + panelCols - 1) / panelCols);
        this.panelPtr = new int[rows * (panels + 1)];
        for (int r = 0; r < rows; r++) {
            int p = rowPtr[r];
            for (int panel = 0; panel < panels; panel++) {
                panelPtr[r * (panels + 1) + panel] = p;
                int end = Math.min(cols, (panel + 1) * panelCols);
                while (p < rowPtr[r + 1] && colIdx[p] < end) p++;
            }
            panelPtr[r * (panels + 1) + panels] = rowPtr[r + 1];
        }
        this.single = new PermuteSlices(rows, cols, rowPtr, colIdx, values);
    }

    /** The kernel for a dense row-major {@code out x in} weight (exact zeros dropped). */
    public static CsrLinearKernel fromDense(float[] weight, int out, int in) {
        SparseChecks.dense("CsrLinearKernel", weight, 0, out, in);
        int nnz = 0;
        for (int i = 0; i < out * in; i++) if (weight[i] != 0f) nnz++;
        int[] rowPtr = new int[out + 1], colIdx = new int[nnz];
        float[] values = new float[nnz];
        int p = 0;
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < in; c++) {
                float v = weight[r * in + c];
                if (v != 0f) {
                    colIdx[p] = c;
                    values[p++] = v;
                }
            }
            rowPtr[r + 1] = p;
        }
        return new CsrLinearKernel(out, in, rowPtr, colIdx, values);
    }

    public int outFeatures() {
        return rows;
    }

    public int inFeatures() {
        return cols;
    }

    public int nonzeros() {
        return values.length;
    }

    /**
     * Whether a single input row takes {@link PermuteSlices}: by default on 16-float vectors, where
     * it measured 2.2-2.6x dense against the gathers' 1.3-1.4x in the same run; on AVX2's 8-float
     * vectors the gathers measured faster (1.3-1.6x against 1.1-1.4x; docs/benchmarks.md). System
     * property {@code sinter.sparse.single}: "auto" (the default), "permute" or "gather".
     */
    private static final boolean SINGLE_PERMUTE = switch (System.getProperty("sinter.sparse.single", "auto")) {
        case "permute" -> true;
        case "gather" -> false;
        default -> VL >= 16;
    };

    /** Batches with fewer rows than this take the gather path (a tile would waste most of its lanes). */
    public static int gatherMaxRows() {
        return Math.max(2, VL / 2);
    }

    /**
     * {@code y[yOff + i·out + n] = bias[n] + Σ_k W[n,k] · x[xOff + i·in + k]} for batch rows
     * {@code i < m}; bias may be null. Parallel over outputs on the intra-op pool.
     */
    public void forward(float[] x, int xOff, int m, float[] y, int yOff, float[] bias) {
        if (m < 1) throw new IllegalArgumentException("CsrLinearKernel: batch must be >= 1, got " + m);
        if (xOff < 0 || (long) xOff + (long) m * cols > x.length) {
            throw new IllegalArgumentException("CsrLinearKernel: input (" + m + "x" + cols + " at offset " + xOff + ") does not fit in " + x.length + " values");
        }
        if (yOff < 0 || (long) yOff + (long) m * rows > y.length) {
            throw new IllegalArgumentException("CsrLinearKernel: output (" + m + "x" + rows + " at offset " + yOff + ") does not fit in " + y.length + " values");
        }
        if (bias != null && bias.length != rows) {
            throw new IllegalArgumentException("CsrLinearKernel: bias has " + bias.length + " values for " + rows + " outputs");
        }
        if (m == 1 && SINGLE_PERMUTE) {
            single.forward(x, xOff, y, yOff, bias);
            return;
        }
        if (m < gatherMaxRows()) {
            long work = Math.max(1, (long) values.length * m / Math.max(1, rows));
            int grain = (int) Math.max(1, SparseChecks.PARALLEL_GRAIN_FMAS / work);
            Parallel.forRange(rows, grain, (r0, r1) -> gatherRows(x, xOff, m, y, yOff, bias, r0, r1));
            return;
        }
        for (int i0 = 0; i0 < m; i0 += MAX_TILE) tile(x, xOff, i0, Math.min(MAX_TILE, m - i0), y, yOff, bias);
    }

    // ---- small batches: gathers ----

    private void gatherRows(float[] x, int xOff, int m, float[] y, int yOff, float[] bias, int r0, int r1) {
        for (int i = 0; i < m; i += 4) {
            int rowsHere = Math.min(4, m - i);
            int x0 = xOff + i * cols;
            int y0 = yOff + i * rows;
            if (rowsHere == 4) gather4(x, x0, y, y0, bias, r0, r1);
            else for (int k = 0; k < rowsHere; k++) gather1(x, x0 + k * cols, y, y0 + k * rows, bias, r0, r1);
        }
    }

    /** One input row: per output, two chains of gathered products, then the tail. */
    private void gather1(float[] x, int xRow, float[] y, int yRow, float[] bias, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int p = rowPtr[r], p1 = rowPtr[r + 1];
            FloatVector a = FloatVector.zero(S), b = a, c = a, d = a;
            for (; p + 4 * VL <= p1; p += 4 * VL) {
                a = FloatVector.fromArray(S, x, xRow, colIdx, p).fma(FloatVector.fromArray(S, values, p), a);
                b = FloatVector.fromArray(S, x, xRow, colIdx, p + VL).fma(FloatVector.fromArray(S, values, p + VL), b);
                c = FloatVector.fromArray(S, x, xRow, colIdx, p + 2 * VL).fma(FloatVector.fromArray(S, values, p + 2 * VL), c);
                d = FloatVector.fromArray(S, x, xRow, colIdx, p + 3 * VL).fma(FloatVector.fromArray(S, values, p + 3 * VL), d);
            }
            a = a.add(c);
            b = b.add(d);
            for (; p + 2 * VL <= p1; p += 2 * VL) {
                a = FloatVector.fromArray(S, x, xRow, colIdx, p).fma(FloatVector.fromArray(S, values, p), a);
                b = FloatVector.fromArray(S, x, xRow, colIdx, p + VL).fma(FloatVector.fromArray(S, values, p + VL), b);
            }
            if (p + VL <= p1) {
                a = FloatVector.fromArray(S, x, xRow, colIdx, p).fma(FloatVector.fromArray(S, values, p), a);
                p += VL;
            }
            float s = a.add(b).reduceLanes(VectorOperators.ADD);
            for (; p < p1; p++) s += values[p] * x[xRow + colIdx[p]];
            y[yRow + r] = s + (bias == null ? 0f : bias[r]);
        }
    }

    /** Four input rows {@code cols} apart: one index and values vector feed four gathers and FMAs. */
    private void gather4(float[] x, int x0, float[] y, int y0, float[] bias, int r0, int r1) {
        int x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        for (int r = r0; r < r1; r++) {
            int p = rowPtr[r], p1 = rowPtr[r + 1];
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (; p + VL <= p1; p += VL) {
                FloatVector w = FloatVector.fromArray(S, values, p);
                a0 = FloatVector.fromArray(S, x, x0, colIdx, p).fma(w, a0);
                a1 = FloatVector.fromArray(S, x, x1, colIdx, p).fma(w, a1);
                a2 = FloatVector.fromArray(S, x, x2, colIdx, p).fma(w, a2);
                a3 = FloatVector.fromArray(S, x, x3, colIdx, p).fma(w, a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
            for (; p < p1; p++) {
                float w = values[p];
                int c = colIdx[p];
                s0 += w * x[x0 + c];
                s1 += w * x[x1 + c];
                s2 += w * x[x2 + c];
                s3 += w * x[x3 + c];
            }
            float b = bias == null ? 0f : bias[r];
            y[y0 + r] = s0 + b;
            y[y0 + rows + r] = s1 + b;
            y[y0 + 2 * rows + r] = s2 + b;
            y[y0 + 3 * rows + r] = s3 + b;
        }
    }

    // ---- larger batches: tiles of batch rows ----

    /**
     * Batch rows {@code [i0, i0 + mt)}, panel by panel: the panel's columns of those rows are
     * transposed (parallel over columns), then every output adds the panel's nonzeros (parallel
     * over outputs) to its accumulators, kept in a {@code out x width} scratch between panels and
     * written to Y after the last one.
     */
    private void tile(float[] x, int xOff, int i0, int mt, float[] y, int yOff, float[] bias) {
        int nv = (mt + VL - 1) / VL, width = nv * VL;
        float[] xt = transposedScratch(Math.min(cols, panelCols) * width);
        float[] acc = accumulatorScratch(rows * width);
        int xBase = xOff + i0 * cols, yBase = yOff + i0 * rows;
        int threads = Parallel.numThreads();
        long work = Math.max(1, (long) values.length * width / Math.max(1, rows) / panels);
        int grain = (int) Math.max(1, SparseChecks.PARALLEL_GRAIN_FMAS / work);
        for (int panel = 0; panel < panels; panel++) {
            int c0 = panel * panelCols, c1 = Math.min(cols, c0 + panelCols);
            boolean first = panel == 0, last = panel == panels - 1;
            int p = panel;
            int blocks = (c1 - c0 + VL - 1) / VL;
            Parallel.forRange(blocks, Math.max(4, blocks / (4 * threads)),
                    (a, b) -> transpose(x, xBase, mt, width, xt, c0, c0 + a * VL, Math.min(c1, c0 + b * VL)));
            Parallel.forRange(rows, grain, (r0, r1) -> {
                int shift = -c0 * width;
                for (int r = r0; r < r1; r++) {
                    int base = r * (panels + 1) + p;
                    int p0 = panelPtr[base], p1 = panelPtr[base + 1];
                    int a = r * width;
                    float bi = bias == null ? 0f : bias[r];
                    switch (nv) {
                        case 4 -> fma4(xt, shift, acc, a, p0, p1, first, bi);
                        case 3 -> fma3(xt, shift, acc, a, p0, p1, first, bi);
                        case 2 -> fma2(xt, shift, acc, a, p0, p1, first, bi);
                        default -> fma1(xt, shift, acc, a, p0, p1, first, bi);
                    }
                }
                if (last) writeBlock(acc, width, mt, r0, r1, y, yBase, rows);
            });
        }
    }

    /**
     * {@code xt[(c - panelStart)·width + i] = x[xBase + i·cols + c]} for columns {@code [c0, c1)}
     * (register-blocked transposes); lanes past mt are zero.
     */
    private void transpose(float[] x, int xBase, int mt, int width, float[] xt, int panelStart, int c0, int c1) {
        BlockTranspose.transpose(x, xBase + c0, cols, mt, c1 - c0, xt, (c0 - panelStart) * width, width);
        if (mt < width) for (int c = c0; c < c1; c++) java.util.Arrays.fill(xt, (c - panelStart) * width + mt, (c - panelStart + 1) * width, 0f);
    }

    /** Y's entries of outputs {@code [r0, r1)} for the tile's batch rows from the accumulators ({@code acc[r·width + i]}). */
    private static void writeBlock(float[] acc, int width, int mt, int r0, int r1, float[] y, int yBase, int outputs) {
        BlockTranspose.transpose(acc, r0 * width, width, r1 - r0, mt, y, yBase + r0, outputs);
    }

    /** An accumulator: the bias in the first panel, what the previous panels left otherwise. */
    private static FloatVector start(float[] acc, int a, boolean first, float bias) {
        return first ? FloatVector.broadcast(S, bias) : FloatVector.fromArray(S, acc, a);
    }

    private void fma4(float[] xt, int shift, float[] acc, int a, int p0, int p1, boolean first, float bias) {
        final int width = 4 * VL;
        FloatVector a0 = start(acc, a, first, bias), a1 = start(acc, a + VL, first, bias);
        FloatVector a2 = start(acc, a + 2 * VL, first, bias), a3 = start(acc, a + 3 * VL, first, bias);
        for (int p = p0; p < p1; p++) {
            int at = (colIdx[p] * width + shift);
            FloatVector w = FloatVector.broadcast(S, values[p]);
            a0 = FloatVector.fromArray(S, xt, at).fma(w, a0);
            a1 = FloatVector.fromArray(S, xt, at + VL).fma(w, a1);
            a2 = FloatVector.fromArray(S, xt, at + 2 * VL).fma(w, a2);
            a3 = FloatVector.fromArray(S, xt, at + 3 * VL).fma(w, a3);
        }
        a0.intoArray(acc, a);
        a1.intoArray(acc, a + VL);
        a2.intoArray(acc, a + 2 * VL);
        a3.intoArray(acc, a + 3 * VL);
    }

    private void fma3(float[] xt, int shift, float[] acc, int a, int p0, int p1, boolean first, float bias) {
        final int width = 3 * VL;
        FloatVector a0 = start(acc, a, first, bias), a1 = start(acc, a + VL, first, bias), a2 = start(acc, a + 2 * VL, first, bias);
        for (int p = p0; p < p1; p++) {
            int at = (colIdx[p] * width + shift);
            FloatVector w = FloatVector.broadcast(S, values[p]);
            a0 = FloatVector.fromArray(S, xt, at).fma(w, a0);
            a1 = FloatVector.fromArray(S, xt, at + VL).fma(w, a1);
            a2 = FloatVector.fromArray(S, xt, at + 2 * VL).fma(w, a2);
        }
        a0.intoArray(acc, a);
        a1.intoArray(acc, a + VL);
        a2.intoArray(acc, a + 2 * VL);
    }

    /** Two vectors per nonzero; two nonzeros per step in separate chains so the FMA latency overlaps. */
    private void fma2(float[] xt, int shift, float[] acc, int a, int p0, int p1, boolean first, float bias) {
        final int width = 2 * VL;
        FloatVector a0 = start(acc, a, first, bias), a1 = start(acc, a + VL, first, bias);
        FloatVector b0 = FloatVector.zero(S), b1 = b0;
        int p = p0;
        for (; p + 1 < p1; p += 2) {
            int at = (colIdx[p] * width + shift), bt = (colIdx[p + 1] * width + shift);
            FloatVector w = FloatVector.broadcast(S, values[p]), v = FloatVector.broadcast(S, values[p + 1]);
            a0 = FloatVector.fromArray(S, xt, at).fma(w, a0);
            a1 = FloatVector.fromArray(S, xt, at + VL).fma(w, a1);
            b0 = FloatVector.fromArray(S, xt, bt).fma(v, b0);
            b1 = FloatVector.fromArray(S, xt, bt + VL).fma(v, b1);
        }
        if (p < p1) {
            int at = (colIdx[p] * width + shift);
            FloatVector w = FloatVector.broadcast(S, values[p]);
            a0 = FloatVector.fromArray(S, xt, at).fma(w, a0);
            a1 = FloatVector.fromArray(S, xt, at + VL).fma(w, a1);
        }
        a0.add(b0).intoArray(acc, a);
        a1.add(b1).intoArray(acc, a + VL);
    }

    /** One vector per nonzero; four nonzeros per step in separate chains. */
    private void fma1(float[] xt, int shift, float[] acc, int a, int p0, int p1, boolean first, float bias) {
        final int width = VL;
        FloatVector a0 = start(acc, a, first, bias), a1 = FloatVector.zero(S), a2 = a1, a3 = a1;
        int p = p0;
        for (; p + 3 < p1; p += 4) {
            a0 = FloatVector.fromArray(S, xt, (colIdx[p] * width + shift)).fma(FloatVector.broadcast(S, values[p]), a0);
            a1 = FloatVector.fromArray(S, xt, (colIdx[p + 1] * width + shift)).fma(FloatVector.broadcast(S, values[p + 1]), a1);
            a2 = FloatVector.fromArray(S, xt, (colIdx[p + 2] * width + shift)).fma(FloatVector.broadcast(S, values[p + 2]), a2);
            a3 = FloatVector.fromArray(S, xt, (colIdx[p + 3] * width + shift)).fma(FloatVector.broadcast(S, values[p + 3]), a3);
        }
        for (; p < p1; p++) a0 = FloatVector.fromArray(S, xt, (colIdx[p] * width + shift)).fma(FloatVector.broadcast(S, values[p]), a0);
        a0.add(a1).add(a2.add(a3)).intoArray(acc, a);
    }

    /**
     * The calling thread's transposed-input scratch, grown to at least {@code n} floats and reused
     * across calls and layers (a 9216-wide input tile is 2.4 MB: allocating and zeroing it per call
     * costs about as much as the sparse product).
     */
    private static final ThreadLocal<float[]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[0]);

    private static float[] transposedScratch(int n) {
        float[] t = TRANSPOSED.get();
        if (t.length < n) TRANSPOSED.set(t = new float[n]);
        return t;
    }

    /** A worker's accumulator scratch. */
    private static final ThreadLocal<float[]> ACC = ThreadLocal.withInitial(() -> new float[0]);

    private static float[] accumulatorScratch(int n) {
        float[] a = ACC.get();
        if (a.length < n) ACC.set(a = new float[n]);
        return a;
    }

    /** The weight back as a dense row-major {@code out x in} matrix (tests). */
    public float[] toDense() {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) out[r * cols + colIdx[p]] = values[p];
        return out;
    }
}
