package org.sinter.compress.sparse;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Parallel;

/**
 * A sparse matrix-vector product for one input row (a batch-1 Linear) that reads the input from
 * registers instead of gathering it: a sliced-ELL layout (SELL-C with C = the vector length L)
 * cut into column blocks of L.
 *
 * <p>Outputs are taken in slices of L (one per lane) and inputs in blocks of L (one vector). For a
 * slice and a block, entry j holds, in lane l, the j-th nonzero of output {@code sL + l} inside the
 * block: its value and its column within the block (0..L-1). The product then needs per entry one
 * values load, one index load, a lane permutation of the block's input vector and an FMA into the
 * slice's accumulator; no gather (on this box's AVX-512 EPYC the gathers bound the CSR kernel at
 * batch 1) and no horizontal reduction per output. Rows with fewer nonzeros in a block than its
 * fullest row pad with zeros: at 90% sparsity and L = 16 that is about 2.5x the nonzeros in entries,
 * still measured 2-3.5x faster than the gathers.
 */
final class PermuteSlices {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final int rows, cols, slices, blocks;
    /** {@code start[s * blocks + b]}: the first entry of slice s in block b; entries are L lanes wide. */
    private final int[] start;
    private final float[] values;
    private final int[] lanes;

    /** From CSR arrays whose columns are sorted within each row. */
    PermuteSlices(int rows, int cols, int[] rowPtr, int[] colIdx, float[] csrValues) {
        if (I.length() != L) throw new IllegalStateException("PermuteSlices: int and float vectors differ in lanes");
        this.rows = rows;
        this.cols = cols;
        slices = Math.ceilDiv(rows, L);
        blocks = Math.ceilDiv(cols, L);
        start = new int[slices * blocks + 1];
        // First pass: the entries each (slice, block) needs, i.e. the most nonzeros any of its rows has there.
        int entries = 0;
        int[] cursor = new int[L];
        for (int s = 0; s < slices; s++) {
            for (int l = 0; l < L; l++) cursor[l] = s * L + l < rows ? rowPtr[s * L + l] : 0;
            for (int b = 0; b < blocks; b++) {
                start[s * blocks + b] = entries;
                int most = 0, end = (b + 1) * L;
                for (int l = 0; l < L && s * L + l < rows; l++) {
                    int r = s * L + l, n = 0;
                    while (cursor[l] < rowPtr[r + 1] && colIdx[cursor[l]] < end) {
                        cursor[l]++;
                        n++;
                    }
                    most = Math.max(most, n);
                }
                entries += most;
            }
        }
        start[slices * blocks] = entries;
        values = new float[entries * L];
        lanes = new int[entries * L];
        // Second pass: fill them (padding lanes keep value 0 and column 0).
        for (int s = 0; s < slices; s++) {
            for (int l = 0; l < L && s * L + l < rows; l++) {
                int r = s * L + l;
                for (int p = rowPtr[r], b = -1, j = 0; p < rowPtr[r + 1]; p++) {
                    int blk = colIdx[p] / L;
                    if (blk != b) {
                        b = blk;
                        j = 0;
                    }
                    int at = (start[s * blocks + blk] + j++) * L + l;
                    values[at] = csrValues[p];
                    lanes[at] = colIdx[p] - blk * L;
                }
            }
        }
    }

    /** Entries stored, padding included (each is L values and L lane indices). */
    int entries() {
        return start[slices * blocks];
    }

    /** {@code y[yOff + n] = bias[n] + Σ_k W[n,k] · x[xOff + k]}; bias may be null. Parallel over slices. */
    void forward(float[] x, int xOff, float[] y, int yOff, float[] bias) {
        long perSlice = Math.max(1, (long) entries() * L / Math.max(1, slices));
        int grain = (int) Math.max(1, SparseChecks.PARALLEL_GRAIN_FMAS / perSlice);
        Parallel.forRange(slices, grain, (s0, s1) -> {
            for (int s = s0; s < s1; s++) slice(x, xOff, y, yOff, bias, s);
        });
    }

    private void slice(float[] x, int xOff, float[] y, int yOff, float[] bias, int s) {
        FloatVector a = FloatVector.zero(S), c = a;
        for (int b = 0; b < blocks; b++) {
            int e = start[s * blocks + b], e1 = start[s * blocks + b + 1];
            if (e == e1) continue;
            FloatVector xb = (b + 1) * L <= cols ? FloatVector.fromArray(S, x, xOff + b * L)
                    : FloatVector.fromArray(S, x, xOff + b * L, S.indexInRange(b * L, cols));
            // Two accumulators hide the FMA latency.
            for (; e + 1 < e1; e += 2) {
                a = FloatVector.fromArray(S, values, e * L).fma(xb.rearrange(shuffle(e)), a);
                c = FloatVector.fromArray(S, values, (e + 1) * L).fma(xb.rearrange(shuffle(e + 1)), c);
            }
            if (e < e1) a = FloatVector.fromArray(S, values, e * L).fma(xb.rearrange(shuffle(e)), a);
        }
        a = a.add(c);
        int r0 = s * L;
        VectorMask<Float> m = S.indexInRange(r0, rows);
        if (bias != null) a = a.add(FloatVector.fromArray(S, bias, r0, m));
        a.intoArray(y, yOff + r0, m);
    }

    /**
     * Entry e's lane indices as a shuffle. (Built from an int vector: {@code VectorShuffle.fromArray}
     * measured 10x slower, not intrinsified on JDK 25.)
     */
    private VectorShuffle<Float> shuffle(int e) {
        return IntVector.fromArray(I, lanes, e * L).toShuffle().cast(S);
    }
}
