package org.sinter.kernels.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.sinter.kernels.Parallel;

/**
 * Small products against a pre-packed, untransposed B ({@link PackedB}: what a program compiled
 * with frozen parameters holds for a linear layer's folded weight, in x out), on the packed
 * micro-panels instead of B's unpacked source.
 *
 * <p>The unpacked kernels these products would otherwise take ({@link SgemmSmall}: a 4x16 256-bit
 * tile for a few rows, a column loop for one row) read B with a row stride: eight FMAs per two B
 * loads and four A broadcasts, 36-53 GFLOP/s for the MLP's 8x784x512 layer on one Emerald Rapids
 * core. With two or more rows the blocked driver's pre-packed path runs instead (A's rows read in
 * place against the 8x32 512-bit tile, no packing: 118-145 GFLOP/s at 8 rows); one row (a vector
 * times the matrix, batch 1) streams four 32-column panels at a time into eight accumulators here.
 *
 * <p>Untransposed B is summed the same way on every path: depth slice by slice as the blocked driver
 * cuts it ({@link SgemmBlocked#depthSlice}), each slice one FMA chain from zero, added to C. So the
 * packed and unpacked calls give the same bits whichever kernel runs (the tests check it).
 */
final class SgemmPackedSmall {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = S.length();
    /** S's vector class, for the exact-class casts (org.sinter.kernels.ExactVectors). */
    private static final Class<?> VECTOR = S.vectorType();
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

    /** Per-thread buffer for the last, partial group of panels. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[4 * NR]);

    /** C (m x n, row stride ldc, overwritten) = A (m x k, row-major, row stride lda) * B, then {@code epi} (null: none). */
    static void sgemm(int m, float[] a, int aOff, int lda, PackedB b, float[] c, int cOff, int ldc, GemmEpilogue epi) {
        if (m > 1) {
            SgemmBlocked.prepacked(false, m, a, aOff, lda, b, c, cOff, ldc, epi);
            return;
        }
        int n = b.n, k = b.k, panels = (n + NR - 1) / NR, groups = (panels + 3) / 4;
        if ((long) n * k >= PARALLEL_FMAS && groups > 1) {
            Parallel.forRange(groups, 1, (s, e) -> rowPanels(a, aOff, b, c, cOff, 4 * s, Math.min(panels, 4 * e)));
        } else {
            rowPanels(a, aOff, b, c, cOff, 0, panels);
        }
        if (epi != null) epi.apply(0, 1, 0, n);
    }

    /** Panels [p0, p1) of a one-row product, four at a time, slice by slice. */
    private static void rowPanels(float[] x, int xOff, PackedB b, float[] y, int yOff, int p0, int p1) {
        int k = b.k, kc0 = b.kc0;
        for (int p = p0; p < p1; p += 4) {
            int count = Math.min(4, p1 - p), j0 = p * NR, w = Math.min(count * NR, b.n - j0);
            for (int pc = 0; pc < k; pc += kc0) {
                int kc = Math.min(kc0, k - pc);
                oneRow(kc, x, xOff + pc, b.data, b.offset(pc, kc, j0), NR * kc * Math.min(1, count - 1), NR * kc * Math.min(2, count - 1),
                        NR * kc * Math.min(3, count - 1), y, yOff + j0, w, pc > 0);
            }
        }
    }

    /**
     * One row times up to four panels over one depth slice: {@code y[0, w)} = (y +) x * panels. The
     * panels start at {@code bi}, {@code bi + d1}, {@code bi + d2}, {@code bi + d3} (a repeated offset
     * for missing panels, whose results are dropped). Eight accumulators cover the FMA latency with
     * one row; the shape follows {@link MicroKernel}'s tiles (one counted loop, accumulators from
     * zero, the store after it), which C2 keeps in registers.
     */
    private static void oneRow(int kc, float[] x, int xi, float[] pb, int bi, int d1, int d2, int d3,
                               float[] y, int yo, int w, boolean accumulate) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        FloatVector s4 = FloatVector.zero(S), s5 = FloatVector.zero(S), s6 = FloatVector.zero(S), s7 = FloatVector.zero(S);
        int b1 = bi + d1, b2 = bi + d2, b3 = bi + d3;
        for (int p = 0, q = 0; p < kc; p++, q += NR) {
            FloatVector xv = FloatVector.broadcast(S, x[xi + p]);
            s0 = FloatVector.fromArray(S, pb, bi + q).fma(xv, s0);
            s1 = FloatVector.fromArray(S, pb, bi + q + L).fma(xv, s1);
            s2 = FloatVector.fromArray(S, pb, b1 + q).fma(xv, s2);
            s3 = FloatVector.fromArray(S, pb, b1 + q + L).fma(xv, s3);
            s4 = FloatVector.fromArray(S, pb, b2 + q).fma(xv, s4);
            s5 = FloatVector.fromArray(S, pb, b2 + q + L).fma(xv, s5);
            s6 = FloatVector.fromArray(S, pb, b3 + q).fma(xv, s6);
            s7 = FloatVector.fromArray(S, pb, b3 + q + L).fma(xv, s7);
        }
        if (w == 4 * NR) {
            if (accumulate) {
                s0 = FloatVector.fromArray(S, y, yo).add(s0); s1 = FloatVector.fromArray(S, y, yo + L).add(s1);
                s2 = FloatVector.fromArray(S, y, yo + 2 * L).add(s2); s3 = FloatVector.fromArray(S, y, yo + 3 * L).add(s3);
                s4 = FloatVector.fromArray(S, y, yo + 4 * L).add(s4); s5 = FloatVector.fromArray(S, y, yo + 5 * L).add(s5);
                s6 = FloatVector.fromArray(S, y, yo + 6 * L).add(s6); s7 = FloatVector.fromArray(S, y, yo + 7 * L).add(s7);
            }
            ((FloatVector) VECTOR.cast(s0)).intoArray(y, yo); ((FloatVector) VECTOR.cast(s1)).intoArray(y, yo + L); ((FloatVector) VECTOR.cast(s2)).intoArray(y, yo + 2 * L); ((FloatVector) VECTOR.cast(s3)).intoArray(y, yo + 3 * L);
            ((FloatVector) VECTOR.cast(s4)).intoArray(y, yo + 4 * L); ((FloatVector) VECTOR.cast(s5)).intoArray(y, yo + 5 * L); ((FloatVector) VECTOR.cast(s6)).intoArray(y, yo + 6 * L); ((FloatVector) VECTOR.cast(s7)).intoArray(y, yo + 7 * L);
        } else {
            float[] t = SCRATCH.get();
            ((FloatVector) VECTOR.cast(s0)).intoArray(t, 0); ((FloatVector) VECTOR.cast(s1)).intoArray(t, L); ((FloatVector) VECTOR.cast(s2)).intoArray(t, 2 * L); ((FloatVector) VECTOR.cast(s3)).intoArray(t, 3 * L);
            ((FloatVector) VECTOR.cast(s4)).intoArray(t, 4 * L); ((FloatVector) VECTOR.cast(s5)).intoArray(t, 5 * L); ((FloatVector) VECTOR.cast(s6)).intoArray(t, 6 * L); ((FloatVector) VECTOR.cast(s7)).intoArray(t, 7 * L);
            if (accumulate) for (int j = 0; j < w; j++) y[yo + j] += t[j];
            else System.arraycopy(t, 0, y, yo, w);
        }
    }
}
