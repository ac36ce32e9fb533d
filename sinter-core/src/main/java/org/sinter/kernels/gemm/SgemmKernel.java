package org.sinter.kernels.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 register-tiled micro-kernel: a 4x16 tile of C held in eight 256-bit accumulators
 * (4 rows x 2 vectors), fed by a packed A micro-panel (4 values per k step) and a packed B
 * micro-panel (16 values per k step). Eight independent FMA chains cover Zen 3's FMA latency (4
 * cycles) times its two FMA pipes, and 8 accumulators + 2 B vectors + 4 broadcasts fit the 16 AVX2
 * registers however C2 schedules them. The BLIS 6x16 shape looks better on paper, but C2 hoists all
 * six broadcasts, spills, and even boxes an accumulator in the loop: measured at 44 GFLOP/s against
 * 97 for this shape on one core with operands in L1.
 */
final class SgemmKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** Rows of the register tile. */
    static final int MR = 4;
    /** Columns of the register tile (two vectors of 8 floats). */
    static final int NR = 16;

    /** How a finished tile meets C: overwrite (beta == 0, C never read), add, or scale C by beta and add. */
    static final int OVERWRITE = 0, ACCUMULATE = 1, SCALE = 2;

    private SgemmKernel() {}

    /**
     * C[4x16 at ci, row stride ldc] (mode) A-panel * B-panel over kc steps. The panels hold
     * alpha already (folded in while packing A).
     */
    static void tile(int kc, float[] pa, int ai, float[] pb, int bi,
                     float[] c, int ci, int ldc, int mode, float beta) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int a = ai + p * MR, b = bi + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, b);
            FloatVector b1 = FloatVector.fromArray(S, pb, b + 8);
            FloatVector x = FloatVector.broadcast(S, pa[a]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, pa[a + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, pa[a + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, pa[a + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
        }
        store(c, ci, c00, c01, mode, beta);
        store(c, ci + ldc, c10, c11, mode, beta);
        store(c, ci + 2 * ldc, c20, c21, mode, beta);
        store(c, ci + 3 * ldc, c30, c31, mode, beta);
    }

    /**
     * The same 4x16 tile on unpacked operands: row r of op(A) starts at {@code ar} and steps by
     * {@code aps} along k; B row p starts at {@code bi + p*bps}. Writes {@code alpha*AB + beta*C}
     * (C not read when beta is 0). A variable B stride costs ~8% against the packed kernel, which is
     * why large products pack.
     */
    static void tileDirect(int kc, float[] a, int a0, int a1, int a2, int a3, int aps, float[] b, int bi, int bps,
                           float alpha, float beta, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int q = p * aps, bp = bi + p * bps;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 8);
            FloatVector x = FloatVector.broadcast(S, a[a0 + q]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + q]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + q]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + q]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
        }
        int mode = beta == 0f ? OVERWRITE : SCALE;
        FloatVector al = FloatVector.broadcast(S, alpha);
        store(c, ci, c00.mul(al), c01.mul(al), mode, beta);
        store(c, ci + ldc, c10.mul(al), c11.mul(al), mode, beta);
        store(c, ci + 2 * ldc, c20.mul(al), c21.mul(al), mode, beta);
        store(c, ci + 3 * ldc, c30.mul(al), c31.mul(al), mode, beta);
    }

    private static void store(float[] c, int i, FloatVector v0, FloatVector v1, int mode, float beta) {
        if (mode == ACCUMULATE) {
            v0 = v0.add(FloatVector.fromArray(S, c, i));
            v1 = v1.add(FloatVector.fromArray(S, c, i + 8));
        } else if (mode == SCALE) {
            FloatVector vb = FloatVector.broadcast(S, beta);
            v0 = FloatVector.fromArray(S, c, i).fma(vb, v0);
            v1 = FloatVector.fromArray(S, c, i + 8).fma(vb, v1);
        }
        v0.intoArray(c, i);
        v1.intoArray(c, i + 8);
    }

    /**
     * A partial tile (mr <= 4 rows, nr <= 16 columns) at the edge of C: computes the full tile into
     * {@code scratch} (the packed panels are zero-padded) and merges only the valid part into C.
     */
    static void edgeTile(int kc, float[] pa, int ai, float[] pb, int bi,
                         float[] c, int ci, int ldc, int mr, int nr, int mode, float beta, float[] scratch) {
        tile(kc, pa, ai, pb, bi, scratch, 0, NR, OVERWRITE, 0f);
        for (int r = 0; r < mr; r++) {
            int row = ci + r * ldc, s = r * NR;
            for (int j = 0; j < nr; j++) {
                float v = scratch[s + j];
                c[row + j] = switch (mode) {
                    case OVERWRITE -> v;
                    case ACCUMULATE -> c[row + j] + v;
                    default -> beta * c[row + j] + v;
                };
            }
        }
    }
}
