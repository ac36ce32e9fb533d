package org.sinter.kernels.gemm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float64 micro-kernel and its packing: a 4x8 tile of C in eight 256-bit accumulators (4 rows
 * x 2 vectors of 4 doubles), the same register budget and panel layouts as {@link SgemmKernel} with
 * half the lanes.
 */
final class DgemmKernel {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    static final int MR = 4, NR = 8;
    static final int OVERWRITE = 0, ACCUMULATE = 1, SCALE = 2;

    private DgemmKernel() {}

    /** C[4x8 at ci] (mode) A-panel * B-panel over kc steps; alpha is already in the A panel. */
    static void tile(int kc, double[] pa, int ai, double[] pb, int bi,
                     double[] c, int ci, int ldc, int mode, double beta) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int a = ai + p * MR, b = bi + p * NR;
            DoubleVector b0 = DoubleVector.fromArray(S, pb, b);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, b + 4);
            DoubleVector x = DoubleVector.broadcast(S, pa[a]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, pa[a + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, pa[a + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, pa[a + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
        }
        store(c, ci, c00, c01, mode, beta);
        store(c, ci + ldc, c10, c11, mode, beta);
        store(c, ci + 2 * ldc, c20, c21, mode, beta);
        store(c, ci + 3 * ldc, c30, c31, mode, beta);
    }

    private static void store(double[] c, int i, DoubleVector v0, DoubleVector v1, int mode, double beta) {
        if (mode == ACCUMULATE) {
            v0 = v0.add(DoubleVector.fromArray(S, c, i));
            v1 = v1.add(DoubleVector.fromArray(S, c, i + 4));
        } else if (mode == SCALE) {
            DoubleVector vb = DoubleVector.broadcast(S, beta);
            v0 = DoubleVector.fromArray(S, c, i).fma(vb, v0);
            v1 = DoubleVector.fromArray(S, c, i + 4).fma(vb, v1);
        }
        v0.intoArray(c, i);
        v1.intoArray(c, i + 4);
    }

    /** A partial tile at the edge of C: full tile into scratch, valid part merged into C. */
    static void edgeTile(int kc, double[] pa, int ai, double[] pb, int bi, double[] c, int ci, int ldc,
                         int mr, int nr, int mode, double beta, double[] scratch) {
        tile(kc, pa, ai, pb, bi, scratch, 0, NR, OVERWRITE, 0);
        for (int r = 0; r < mr; r++) {
            int row = ci + r * ldc, s = r * NR;
            for (int j = 0; j < nr; j++) {
                double v = scratch[s + j];
                c[row + j] = switch (mode) {
                    case OVERWRITE -> v;
                    case ACCUMULATE -> c[row + j] + v;
                    default -> beta * c[row + j] + v;
                };
            }
        }
    }

    /** Packs rows [i0, i0+mc) x depth [p0, p0+kc) of alpha*op(A) into MR-row micro-panels. */
    static void packA(boolean trans, double[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      double alpha, double[] dst) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir), d = ir * kc;
            for (int p = 0; p < kc; p++, d += MR) {
                for (int r = 0; r < MR; r++) {
                    int i = i0 + ir + r, q = p0 + p;
                    dst[d + r] = r < rows ? alpha * a[aOff + (trans ? q * lda + i : i * lda + q)] : 0;
                }
            }
        }
    }

    /** Packs depth [p0, p0+kc) x columns [j0, j0+nc) of op(B) into NR-column micro-panels. */
    static void packB(boolean trans, double[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, double[] dst) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr), d = jr * kc;
            for (int p = 0; p < kc; p++, d += NR) {
                int q = p0 + p;
                if (!trans && cols == NR) {
                    int src = bOff + q * ldb + j0 + jr;
                    DoubleVector.fromArray(S, b, src).intoArray(dst, d);
                    DoubleVector.fromArray(S, b, src + 4).intoArray(dst, d + 4);
                    continue;
                }
                for (int j = 0; j < NR; j++) {
                    int col = j0 + jr + j;
                    dst[d + j] = j < cols ? b[bOff + (trans ? col * ldb + q : q * ldb + col)] : 0;
                }
            }
        }
    }
}
