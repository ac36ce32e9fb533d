package org.sinter.kernels.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Parallel;

/**
 * Small products against a pre-packed, untransposed B ({@link PackedB}, what a frozen compiled
 * program holds for a linear layer's folded weight): the few rows of a small inference batch
 * against the packed micro-panels, instead of B's unpacked source.
 *
 * <p>The unpacked kernels these products would otherwise take ({@link SgemmSmall}: the 4x16
 * 256-bit tile for a few rows, the column loops for one row) read B with a row stride: eight FMAs
 * per two B loads and four A broadcasts, 48-53 GFLOP/s for the MLP's 8x784x512 layer on one
 * Emerald Rapids core. Here A's rows are read in place (no packing) and B's panels are contiguous
 * 32-column strips: eight rows x one panel in sixteen 512-bit accumulators, the blocked driver's
 * tile shape, or one row x four panels for a vector times the matrix.
 *
 * <p>Each entry of C is one chain of fused multiply-adds over the whole depth, from zero, in the
 * order p = 0, 1, ..., k-1, across the packed depth slices: exactly the unpacked small kernels'
 * order, so a compiled program gives its eager counterpart's bits (the tests check it).
 */
final class SgemmPackedSmall {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = S.length();
    /** Columns of a packed panel: two 512-bit vectors. */
    private static final int NR = 2 * L;
    /** Multiply-adds from which a vector times the matrix splits its panels between threads (as {@link SgemmSmall}). */
    private static final long PARALLEL_FMAS = 1L << 18;

    private SgemmPackedSmall() {}

    /** Whether this class computes {@code C = op(A) * B} for a packed B that the small kernels would take. */
    static boolean handles(boolean transA, PackedB b) {
        // The 512-bit panels only (PNR_F32 == 32); a column (n == 1) keeps the dot-product kernel's order.
        return !transA && !b.trans && b.n > 1 && MicroKernel.PNR_F32 == NR;
    }

    /** Per-thread buffer for tiles that end past C's last column. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[8 * 2 * NR]);

    /** C (m x n, row stride ldc, overwritten) = A (m x k, row-major, row stride lda) * B. */
    static void sgemm(int m, float[] a, int aOff, int lda, PackedB b, float[] c, int cOff, int ldc) {
        int n = b.n, k = b.k;
        if (m == 1) {
            int panels = (n + NR - 1) / NR, groups = (panels + 3) / 4;
            if ((long) n * k >= PARALLEL_FMAS && groups > 1) {
                Parallel.forRange(groups, 1, (s, e) -> rowPanels(a, aOff, b, c, cOff, 4 * s, Math.min(panels, 4 * e)));
            } else {
                rowPanels(a, aOff, b, c, cOff, 0, panels);
            }
            return;
        }
        float[] scratch = SCRATCH.get();
        int i = 0;
        for (; i + 8 <= m; i += 8) {
            for (int j = 0; j < n; j += NR) eightRows(a, aOff + i * lda, lda, b, j, c, cOff + i * ldc + j, ldc, Math.min(NR, n - j), scratch);
        }
        for (; i < m; i += 4) {
            int rows = Math.min(4, m - i);
            for (int j = 0; j < n; j += 2 * NR) fourRows(a, aOff + i * lda, lda, rows, b, j, c, cOff + i * ldc + j, ldc, Math.min(2 * NR, n - j), scratch);
        }
    }

    /** Panels [p0, p1) of a one-row product, four at a time. */
    private static void rowPanels(float[] x, int xOff, PackedB b, float[] y, int yOff, int p0, int p1) {
        int p = p0;
        for (; p + 4 <= p1; p += 4) oneRow(x, xOff, b, p * NR, 4, y, yOff);
        if (p < p1) oneRow(x, xOff, b, p * NR, p1 - p, y, yOff);
    }

    /**
     * One row of A times {@code count} (1..4) panels from column j0: eight accumulators, so the
     * FMA latency is covered with one row; panels past {@code count} repeat the first and are dropped.
     */
    private static void oneRow(float[] x, int xOff, PackedB b, int j0, int count, float[] y, int yOff) {
        int k = b.k, kc0 = b.kc0, n = b.n;
        float[] pb = b.data;
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        FloatVector s4 = FloatVector.zero(S), s5 = FloatVector.zero(S), s6 = FloatVector.zero(S), s7 = FloatVector.zero(S);
        // One loop over the whole depth, as in eightRows; panels past count repeat the first (offset 0).
        int end = Math.min(kc0, k), kc = end, base = b.offset(0, kc, j0);
        int d1 = Math.min(1, count - 1) * NR * kc, d2 = Math.min(2, count - 1) * NR * kc, d3 = Math.min(3, count - 1) * NR * kc;
        for (int q = 0; q < k; q++, base += NR) {
            if (q == end) {
                kc = Math.min(kc0, k - q);
                base = b.offset(q, kc, j0);
                end = q + kc;
                d1 = Math.min(1, count - 1) * NR * kc;
                d2 = Math.min(2, count - 1) * NR * kc;
                d3 = Math.min(3, count - 1) * NR * kc;
            }
            FloatVector xv = FloatVector.broadcast(S, x[xOff + q]);
            s0 = FloatVector.fromArray(S, pb, base).fma(xv, s0);
            s1 = FloatVector.fromArray(S, pb, base + L).fma(xv, s1);
            s2 = FloatVector.fromArray(S, pb, base + d1).fma(xv, s2);
            s3 = FloatVector.fromArray(S, pb, base + d1 + L).fma(xv, s3);
            s4 = FloatVector.fromArray(S, pb, base + d2).fma(xv, s4);
            s5 = FloatVector.fromArray(S, pb, base + d2 + L).fma(xv, s5);
            s6 = FloatVector.fromArray(S, pb, base + d3).fma(xv, s6);
            s7 = FloatVector.fromArray(S, pb, base + d3 + L).fma(xv, s7);
        }
        int w = Math.min(count * NR, n - j0), o = yOff + j0;
        if (w == 4 * NR) {
            s0.intoArray(y, o); s1.intoArray(y, o + L); s2.intoArray(y, o + 2 * L); s3.intoArray(y, o + 3 * L);
            s4.intoArray(y, o + 4 * L); s5.intoArray(y, o + 5 * L); s6.intoArray(y, o + 6 * L); s7.intoArray(y, o + 7 * L);
        } else {
            float[] t = SCRATCH.get();
            s0.intoArray(t, 0); s1.intoArray(t, L); s2.intoArray(t, 2 * L); s3.intoArray(t, 3 * L);
            s4.intoArray(t, 4 * L); s5.intoArray(t, 5 * L); s6.intoArray(t, 6 * L); s7.intoArray(t, 7 * L);
            System.arraycopy(t, 0, y, o, w);
        }
    }

    /** Eight rows of A (from {@code ai}, {@code lda} apart) times the panel at column j0: C's 8 x w block at ci. */
    private static void eightRows(float[] a, int ai, int lda, PackedB b, int j0, float[] c, int ci, int ldc, int w, float[] scratch) {
        int k = b.k, kc0 = b.kc0;
        float[] pb = b.data;
        int a1 = ai + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        // One loop over the whole depth (a slice boundary moves the panel pointer): with a loop per
        // slice, the sixteen accumulators live across an outer loop, and C2's on-stack-replacement
        // compile of such a nest ran 40x slower than this (vectors boxed at the merge).
        int end = Math.min(kc0, k), bp = b.offset(0, end, j0);
        for (int q = 0; q < k; q++, bp += NR) {
            if (q == end) {
                int kc = Math.min(kc0, k - q);
                bp = b.offset(q, kc, j0);
                end = q + kc;
            }
            {
                FloatVector b0 = FloatVector.fromArray(S, pb, bp), b1 = FloatVector.fromArray(S, pb, bp + L);
                FloatVector x = FloatVector.broadcast(S, a[ai + q]);
                c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(S, a[a1 + q]);
                c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(S, a[a2 + q]);
                c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(S, a[a3 + q]);
                c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
                x = FloatVector.broadcast(S, a[a4 + q]);
                c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
                x = FloatVector.broadcast(S, a[a5 + q]);
                c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
                x = FloatVector.broadcast(S, a[a6 + q]);
                c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
                x = FloatVector.broadcast(S, a[a7 + q]);
                c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
            }
        }
        // Each accumulator starts from its own zero: with one zero shared by all sixteen, C2 kept
        // them boxed in some compiles (an 8x784x512 product took 2 ms instead of 50 us).
        // A full panel goes straight to C; a last, partial one through the scratch tile (row stride NR).
        boolean full = w == NR;
        float[] d = full ? c : scratch;
        int o = full ? ci : 0, ld = full ? ldc : NR;
        c00.intoArray(d, o); c01.intoArray(d, o + L);
        c10.intoArray(d, o + ld); c11.intoArray(d, o + ld + L);
        c20.intoArray(d, o + 2 * ld); c21.intoArray(d, o + 2 * ld + L);
        c30.intoArray(d, o + 3 * ld); c31.intoArray(d, o + 3 * ld + L);
        c40.intoArray(d, o + 4 * ld); c41.intoArray(d, o + 4 * ld + L);
        c50.intoArray(d, o + 5 * ld); c51.intoArray(d, o + 5 * ld + L);
        c60.intoArray(d, o + 6 * ld); c61.intoArray(d, o + 6 * ld + L);
        c70.intoArray(d, o + 7 * ld); c71.intoArray(d, o + 7 * ld + L);
        if (!full) for (int r = 0; r < 8; r++) System.arraycopy(scratch, r * NR, c, ci + r * ldc, w);
    }

    /**
     * Up to four rows of A ({@code rows} valid; missing rows repeat the first and are dropped) times
     * the two panels from column j0 (the second repeats the first when past B's last panel): C's
     * rows x w block at ci. Sixteen accumulators, as in {@link #eightRows}.
     */
    private static void fourRows(float[] a, int ai, int lda, int rows, PackedB b, int j0, float[] c, int ci, int ldc, int w, float[] scratch) {
        int k = b.k, kc0 = b.kc0;
        float[] pb = b.data;
        int a1 = ai + Math.min(1, rows - 1) * lda, a2 = ai + Math.min(2, rows - 1) * lda, a3 = ai + Math.min(3, rows - 1) * lda;
        int second = w > NR ? 1 : 0;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        // One loop over the whole depth, as in eightRows.
        int end = Math.min(kc0, k), bp = b.offset(0, end, j0), dq = second * NR * end;
        for (int q = 0; q < k; q++, bp += NR) {
            if (q == end) {
                int kc = Math.min(kc0, k - q);
                bp = b.offset(q, kc, j0);
                dq = second * NR * kc;
                end = q + kc;
            }
            {
                int bq = bp + dq;
                FloatVector b0 = FloatVector.fromArray(S, pb, bp), b1 = FloatVector.fromArray(S, pb, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, pb, bq), b3 = FloatVector.fromArray(S, pb, bq + L);
                FloatVector x = FloatVector.broadcast(S, a[ai + q]);
                c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
                x = FloatVector.broadcast(S, a[a1 + q]);
                c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
                x = FloatVector.broadcast(S, a[a2 + q]);
                c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
                x = FloatVector.broadcast(S, a[a3 + q]);
                c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            }
        }
        boolean direct = rows == 4 && w == 2 * NR;
        float[] d = direct ? c : scratch;
        int o = direct ? ci : 0, ld = direct ? ldc : 2 * NR;
        c00.intoArray(d, o); c01.intoArray(d, o + L); c02.intoArray(d, o + 2 * L); c03.intoArray(d, o + 3 * L);
        c10.intoArray(d, o + ld); c11.intoArray(d, o + ld + L); c12.intoArray(d, o + ld + 2 * L); c13.intoArray(d, o + ld + 3 * L);
        c20.intoArray(d, o + 2 * ld); c21.intoArray(d, o + 2 * ld + L); c22.intoArray(d, o + 2 * ld + 2 * L); c23.intoArray(d, o + 2 * ld + 3 * L);
        c30.intoArray(d, o + 3 * ld); c31.intoArray(d, o + 3 * ld + L); c32.intoArray(d, o + 3 * ld + 2 * L); c33.intoArray(d, o + 3 * ld + 3 * L);
        if (!direct) for (int r = 0; r < rows; r++) System.arraycopy(scratch, r * 2 * NR, c, ci + r * ldc, w);
    }
}
