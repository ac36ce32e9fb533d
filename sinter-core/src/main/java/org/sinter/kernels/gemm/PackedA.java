package org.sinter.kernels.gemm;

import static org.sinter.kernels.gemm.MicroKernel.PMR_F32;

/**
 * The left operand op(A) of a float32 GEMM, packed once into the micro-panel layout the blocked
 * driver reads, for an A that many products share: a frozen convolution weight, which multiplies
 * every sample's unfolded input ({@code W[k, patch] x cols[patch, pixels]}).
 *
 * <p>Layout: depth slices as the driver cuts them (depending only on k); slice {@code pc} starts at
 * {@code pc * mPad}, and inside it the row panels of {@code PMR_F32} rows follow one another, each
 * {@code kc} steps deep. A copy of the unpacked source is kept for products small enough to read A in place.
 */
public final class PackedA {
    final int m, k, mPad, kc0;
    final float[] data;
    final boolean trans;
    final float[] source;
    final int sourceOff, lda;

    private PackedA(boolean trans, int m, int k, float[] a, int aOff, int lda) {
        this.trans = trans;
        this.m = m;
        this.k = k;
        // A private copy of the stored matrix, so a later change to the caller's array cannot make small
        // products (which read the source) disagree with large ones (which read the packed copy).
        int storedRows = trans ? k : m, storedCols = trans ? m : k;
        this.source = java.util.Arrays.copyOfRange(a, aOff, aOff + (storedRows - 1) * lda + storedCols);
        this.sourceOff = 0;
        this.lda = lda;
        this.mPad = (m + PMR_F32 - 1) / PMR_F32 * PMR_F32;
        this.kc0 = SgemmBlocked.depthSlice(k);
        this.data = new float[Math.multiplyExact(k, mPad)];
        for (int pc = 0; pc < k; pc += kc0) {
            int kc = Math.min(kc0, k - pc);
            MicroKernel.packA(trans, a, aOff, lda, 0, m, pc, kc, 1f, data, pc * mPad);
        }
    }

    /**
     * Packs op(A), an m x k matrix (stored k x m when {@code trans}) with row stride {@code lda}. The
     * packed matrix is a snapshot: later changes to the source array do not reach it.
     */
    public static PackedA pack(boolean trans, int m, int k, float[] a, int aOff, int lda) {
        if (m < 1 || k < 1) throw new IllegalArgumentException("PackedA.pack: empty matrix " + m + "x" + k);
        GemmArgs.check("PackedA.pack", trans, false, m, 1, k, a.length, aOff, lda, k, 0, 1, m, 0, 1);
        return new PackedA(trans, m, k, a, aOff, lda);
    }

    public int rows() { return m; }

    public int columns() { return k; }

    /** Where the panels of slice {@code pc} from row {@code i0} (a multiple of PMR_F32) start. */
    int offset(int pc, int kc, int i0) {
        return pc * mPad + i0 * kc;
    }
}
