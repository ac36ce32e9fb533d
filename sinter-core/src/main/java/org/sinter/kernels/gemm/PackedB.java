package org.sinter.kernels.gemm;

import static org.sinter.kernels.gemm.MicroKernel.PNR_F32;

/**
 * The right operand op(B) of a float32 GEMM, packed once into the micro-panel layout the blocked
 * driver reads, for a B that many products share (a frozen weight: ONNX Runtime and oneDNN
 * pre-pack constant weights the same way). Packing B costs a pass over it with a transposing
 * gather; for a 784x512 weight that is a fifth of the product's time, paid on every call otherwise.
 *
 * <p>Layout: depth slices of {@link SgemmBlocked#KC}-ish rows (the split depends only on k, as
 * the driver's does); slice {@code pc} starts at {@code pc * nPad}, and inside it the column panels
 * of {@code PNR_F32} columns follow one another, each {@code kc} steps deep. A copy of the unpacked
 * source is kept too, for products too small to take the blocked path.
 */
public final class PackedB {
    final int k, n, nPad, kc0;
    final float[] data;
    final boolean trans;
    final float[] source;
    final int sourceOff, ldb;

    private PackedB(boolean trans, int k, int n, float[] b, int bOff, int ldb) {
        this.trans = trans;
        this.k = k;
        this.n = n;
        // A private copy of the stored matrix, so a later change to the caller's array cannot make small
        // products (which read the source) disagree with large ones (which read the packed copy).
        int storedRows = trans ? n : k, storedCols = trans ? k : n;
        this.source = java.util.Arrays.copyOfRange(b, bOff, bOff + (storedRows - 1) * ldb + storedCols);
        this.sourceOff = 0;
        this.ldb = ldb;
        this.nPad = (n + PNR_F32 - 1) / PNR_F32 * PNR_F32;
        this.kc0 = SgemmBlocked.depthSlice(k);
        this.data = new float[Math.multiplyExact(k, nPad)];
        for (int pc = 0; pc < k; pc += kc0) MicroKernel.packB(trans, b, bOff, ldb, pc, Math.min(kc0, k - pc), 0, n, data, pc * nPad);
    }

    /**
     * Packs op(B), a k x n matrix (stored n x k when {@code trans}) with row stride {@code ldb}. The
     * packed matrix is a snapshot: later changes to the source array do not reach it.
     */
    public static PackedB pack(boolean trans, int k, int n, float[] b, int bOff, int ldb) {
        if (k < 1 || n < 1) throw new IllegalArgumentException("PackedB.pack: empty matrix " + k + "x" + n);
        GemmArgs.check("PackedB.pack", false, trans, 1, n, k, k, 0, k, b.length, bOff, ldb, n, 0, n);
        return new PackedB(trans, k, n, b, bOff, ldb);
    }

    public int rows() { return k; }

    public int columns() { return n; }

    /** Where the panels of slice {@code pc} from column {@code j0} (a multiple of PNR_F32) start. */
    int offset(int pc, int kc, int j0) {
        return pc * nPad + j0 * kc;
    }
}
