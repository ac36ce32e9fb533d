package org.sinter.compress.sparse;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sparse x dense loops, vectorized along the dense matrix's rows (the n axis: batch for
 * Linear, output pixels for Conv2d). Each nonzero broadcasts its value and multiply-adds a slice of
 * one row of B into accumulators held in registers for a whole output slice; the loop over
 * nonzeros is unrolled in two independent chains so that the FMA latency is hidden even when the
 * slice is only two vectors wide (batch 32).
 */
final class SpmmKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    private SpmmKernels() {}

    /**
     * CSR rows {@code [r0, r1)} times B, n >= 2: nonzero p reads the n values of B from
     * {@code bOff + rowStart[p]} on ({@code colIdx[p]·n} for a plain matrix; the direct sparse
     * convolution passes shifted windows of the input image instead of an im2col matrix's rows).
     */
    static void csrOffsets(int[] rowPtr, int[] rowStart, float[] val, float[] b, int bOff, int n, float[] y, int yOff, float[] bias, int r0, int r1) {
        int w2 = 2 * VL;
        int wide = n - n % w2;
        for (int r = r0; r < r1; r++) {
            int p0 = rowPtr[r], p1 = rowPtr[r + 1];
            float bi = bias == null ? 0f : bias[r];
            FloatVector vb = FloatVector.broadcast(S, bi);
            int yRow = yOff + r * n;
            int j = 0;
            // Four vectors per nonzero where n allows: one index, value and broadcast feed four loads and FMAs.
            for (; j + 4 * VL <= n; j += 4 * VL) {
                FloatVector a0 = vb, a1 = vb, a2 = vb, a3 = vb;
                for (int p = p0; p < p1; p++) {
                    int row = bOff + rowStart[p] + j;
                    FloatVector w = FloatVector.broadcast(S, val[p]);
                    a0 = FloatVector.fromArray(S, b, row).fma(w, a0);
                    a1 = FloatVector.fromArray(S, b, row + VL).fma(w, a1);
                    a2 = FloatVector.fromArray(S, b, row + 2 * VL).fma(w, a2);
                    a3 = FloatVector.fromArray(S, b, row + 3 * VL).fma(w, a3);
                }
                a0.intoArray(y, yRow + j);
                a1.intoArray(y, yRow + j + VL);
                a2.intoArray(y, yRow + j + 2 * VL);
                a3.intoArray(y, yRow + j + 3 * VL);
            }
            for (; j < wide; j += w2) {
                FloatVector a0 = vb, c0 = vb, d0 = FloatVector.zero(S), d1 = FloatVector.zero(S);
                int p = p0;
                for (; p + 1 < p1; p += 2) {
                    int row0 = bOff + rowStart[p] + j, row1 = bOff + rowStart[p + 1] + j;
                    FloatVector w0 = FloatVector.broadcast(S, val[p]), w1 = FloatVector.broadcast(S, val[p + 1]);
                    a0 = FloatVector.fromArray(S, b, row0).fma(w0, a0);
                    c0 = FloatVector.fromArray(S, b, row0 + VL).fma(w0, c0);
                    d0 = FloatVector.fromArray(S, b, row1).fma(w1, d0);
                    d1 = FloatVector.fromArray(S, b, row1 + VL).fma(w1, d1);
                }
                if (p < p1) {
                    int row0 = bOff + rowStart[p] + j;
                    FloatVector w0 = FloatVector.broadcast(S, val[p]);
                    a0 = FloatVector.fromArray(S, b, row0).fma(w0, a0);
                    c0 = FloatVector.fromArray(S, b, row0 + VL).fma(w0, c0);
                }
                a0.add(d0).intoArray(y, yRow + j);
                c0.add(d1).intoArray(y, yRow + j + VL);
            }
            for (; j < n; j += VL) {
                VectorMask<Float> m = S.indexInRange(j, n);
                FloatVector a0 = vb, d0 = FloatVector.zero(S);
                int p = p0;
                for (; p + 1 < p1; p += 2) {
                    a0 = FloatVector.fromArray(S, b, bOff + rowStart[p] + j, m).fma(FloatVector.broadcast(S, val[p]), a0);
                    d0 = FloatVector.fromArray(S, b, bOff + rowStart[p + 1] + j, m).fma(FloatVector.broadcast(S, val[p + 1]), d0);
                }
                if (p < p1) a0 = FloatVector.fromArray(S, b, bOff + rowStart[p] + j, m).fma(FloatVector.broadcast(S, val[p]), a0);
                a0.add(d0).intoArray(y, yRow + j, m);
            }
        }
    }

    /** CSR rows {@code [r0, r1)} times one vector: a dot product per row over gathered entries of b. */
    static void csrVector(int[] rowPtr, int[] colIdx, float[] val, float[] b, int bOff, float[] y, int yOff, float[] bias, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int p = rowPtr[r], p1 = rowPtr[r + 1];
            FloatVector acc = FloatVector.zero(S);
            for (; p + VL <= p1; p += VL) {
                FloatVector x = FloatVector.fromArray(S, b, bOff, colIdx, p);
                acc = FloatVector.fromArray(S, val, p).fma(x, acc);
            }
            float s = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            for (; p < p1; p++) s += val[p] * b[bOff + colIdx[p]];
            y[yOff + r] = s + (bias == null ? 0f : bias[r]);
        }
    }

    /** Block rows {@code [br0, br1)} of 4 x bw blocks times B ({@code cols x n}). */
    static void blockRows4(int[] ptr, int[] blockCol, float[] val, int bw, int rows, float[] b, int bOff, int n, float[] y, int yOff,
                           float[] bias, int br0, int br1) {
        if (n == 1) {
            blockRows4Vector(ptr, blockCol, val, bw, rows, b, bOff, y, yOff, bias, br0, br1);
            return;
        }
        for (int br = br0; br < br1; br++) {
            int rBase = br * BlockSparseMatrix.BLOCK_ROWS;
            int q0 = ptr[br], q1 = ptr[br + 1];
            for (int j = 0; j < n; j += 2 * VL) {
                VectorMask<Float> m0 = S.indexInRange(j, n), m1 = S.indexInRange(j + VL, n);
                boolean full = j + 2 * VL <= n;
                FloatVector a0 = FloatVector.zero(S), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
                for (int q = q0; q < q1; q++) {
                    int colBase = blockCol[q] * bw;
                    int v = q * BlockSparseMatrix.BLOCK_ROWS * bw;
                    for (int c = 0; c < bw; c++) {
                        int row = bOff + (colBase + c) * n + j;
                        FloatVector x0, x1;
                        if (full) {
                            x0 = FloatVector.fromArray(S, b, row);
                            x1 = FloatVector.fromArray(S, b, row + VL);
                        } else {
                            x0 = FloatVector.fromArray(S, b, row, m0);
                            x1 = m1.anyTrue() ? FloatVector.fromArray(S, b, row + VL, m1) : FloatVector.zero(S);
                        }
                        FloatVector w0 = FloatVector.broadcast(S, val[v + c]);
                        FloatVector w1 = FloatVector.broadcast(S, val[v + bw + c]);
                        FloatVector w2 = FloatVector.broadcast(S, val[v + 2 * bw + c]);
                        FloatVector w3 = FloatVector.broadcast(S, val[v + 3 * bw + c]);
                        a0 = x0.fma(w0, a0);
                        a1 = x1.fma(w0, a1);
                        b0 = x0.fma(w1, b0);
                        b1 = x1.fma(w1, b1);
                        c0 = x0.fma(w2, c0);
                        c1 = x1.fma(w2, c1);
                        d0 = x0.fma(w3, d0);
                        d1 = x1.fma(w3, d1);
                    }
                }
                store(a0, a1, rBase, rows, bias, y, yOff, n, j, full, m0, m1);
                store(b0, b1, rBase + 1, rows, bias, y, yOff, n, j, full, m0, m1);
                store(c0, c1, rBase + 2, rows, bias, y, yOff, n, j, full, m0, m1);
                store(d0, d1, rBase + 3, rows, bias, y, yOff, n, j, full, m0, m1);
            }
        }
    }

    /** Block rows times one vector: four running sums per block row, over each kept block's columns. */
    private static void blockRows4Vector(int[] ptr, int[] blockCol, float[] val, int bw, int rows, float[] b, int bOff, float[] y, int yOff,
                                         float[] bias, int br0, int br1) {
        for (int br = br0; br < br1; br++) {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int q = ptr[br]; q < ptr[br + 1]; q++) {
                int x = bOff + blockCol[q] * bw, v = q * BlockSparseMatrix.BLOCK_ROWS * bw;
                for (int c = 0; c < bw; c++) {
                    float xc = b[x + c];
                    s0 += val[v + c] * xc;
                    s1 += val[v + bw + c] * xc;
                    s2 += val[v + 2 * bw + c] * xc;
                    s3 += val[v + 3 * bw + c] * xc;
                }
            }
            int r = br * BlockSparseMatrix.BLOCK_ROWS;
            float[] s = {s0, s1, s2, s3};
            for (int i = 0; i < BlockSparseMatrix.BLOCK_ROWS && r + i < rows; i++) y[yOff + r + i] = s[i] + (bias == null ? 0f : bias[r + i]);
        }
    }

    private static void store(FloatVector v0, FloatVector v1, int r, int rows, float[] bias, float[] y, int yOff, int n, int j, boolean full,
                              VectorMask<Float> m0, VectorMask<Float> m1) {
        if (r >= rows) return;
        if (bias != null) {
            FloatVector vb = FloatVector.broadcast(S, bias[r]);
            v0 = v0.add(vb);
            v1 = v1.add(vb);
        }
        int at = yOff + r * n + j;
        if (full) {
            v0.intoArray(y, at);
            v1.intoArray(y, at + VL);
        } else {
            v0.intoArray(y, at, m0);
            if (m1.anyTrue()) v1.intoArray(y, at + VL, m1);
        }
    }
}
