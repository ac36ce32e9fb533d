package org.sinter.kernels.gemm;

import static org.sinter.kernels.gemm.SgemmKernel.MR;
import static org.sinter.kernels.gemm.SgemmKernel.NR;

import org.sinter.kernels.Parallel;

/**
 * Single-precision general matrix multiply in pure Java: {@code C = alpha*op(A)*op(B) + beta*C} on
 * row-major arrays, with the same argument meaning as row-major CBLAS {@code cblas_sgemm}.
 *
 * <p>Large products follow the GotoBLAS/BLIS scheme: C is split into column panels (NC), the depth
 * into slices (KC) and rows into blocks (MC); a KC x NC slice of op(B) and an MC x KC block of op(A)
 * are packed into per-thread buffers sized for L3 and L2, and a 4x16 register-tiled micro-kernel
 * ({@link SgemmKernel}) sweeps them. Threads own disjoint parts of C, so they never synchronise
 * inside a call. Small and skinny products take {@link SgemmSmall}, which skips packing and threads.
 */
public final class Sgemm {
    /** Depth of a packed slice: a 16-column B micro-panel of KC steps (16 KB) stays in L1. */
    static final int KC = Integer.getInteger("sinter.sgemm.kc", 256);
    /** Rows of a packed A block (a multiple of MR): MC x KC floats (128 KB) stay in L2. */
    static final int MC = Integer.getInteger("sinter.sgemm.mc", 128);
    /** Columns of a packed B slice (a multiple of NR): KC x NC floats stay in L3. */
    static final int NC = Integer.getInteger("sinter.sgemm.nc", 2048);
    /** Below this many multiply-adds one thread is faster than waking another. */
    static final long PARALLEL_MIN_FMAS = Long.getLong("sinter.sgemm.parmin", 1L << 20);

    private Sgemm() {}

    /** Per-thread packing buffers, grown on demand and reused, so the hot path never allocates. */
    private static final class Workspace {
        float[] a = new float[0], b = new float[0];
        final float[] scratch = new float[MR * NR];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /**
     * {@code C = alpha*op(A)*op(B) + beta*C}, where op(X) is X or its transpose. A is m x k (stored
     * k x m when {@code transA}), B is k x n (stored n x k when {@code transB}), C is m x n; lda,
     * ldb, ldc are the row strides of the stored matrices. When beta is 0, C is only written (NaNs
     * already in C do not propagate); when k is 0, C becomes beta*C.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        GemmArgs.check("sgemm", transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if (SgemmSmall.handles(transB, m, n, k)) {
            SgemmSmall.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** C = beta*C, writing zeros (not 0*C) when beta is 0. */
    static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(c, row, row + n, 0f);
            else for (int j = 0; j < n; j++) c[row + j] *= beta;
        }
    }

    /** The packed, cache-blocked path (package-private so tests can drive it at any size). */
    static void blocked(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        int mTiles = (m + MR - 1) / MR, nTiles = (n + NR - 1) / NR;
        int threads = (long) m * n * k < PARALLEL_MIN_FMAS ? 1 : Parallel.numThreads();
        // Give each thread whole tiles along the longer side of C; the other operand is packed by all.
        boolean splitN = nTiles >= mTiles;
        int parts = Math.max(1, Math.min(threads, splitN ? nTiles : mTiles));
        if (parts == 1) {
            range(transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Parallel.forRange(parts, 1, (start, end) -> {
            for (int t = start; t < end; t++) {
                if (splitN) {
                    int j0 = Math.min(n, (int) ((long) nTiles * t / parts) * NR);
                    int j1 = Math.min(n, (int) ((long) nTiles * (t + 1) / parts) * NR);
                    range(transA, transB, 0, m, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                } else {
                    int i0 = Math.min(m, (int) ((long) mTiles * t / parts) * MR);
                    int i1 = Math.min(m, (int) ((long) mTiles * (t + 1) / parts) * MR);
                    range(transA, transB, i0, i1, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                }
            }
        });
    }

    /** Computes the block rows [i0, i1) x columns [j0, j1) of C on the calling thread. */
    private static void range(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        if (i0 >= i1 || j0 >= j1) return;
        Workspace ws = WORKSPACE.get();
        // Even block sizes: k = 300 becomes two slices of 150, not 256 + 44.
        int kBlocks = (k + KC - 1) / KC, kc0 = (k + kBlocks - 1) / kBlocks;
        int rows = i1 - i0, mBlocks = (rows + MC - 1) / MC;
        int mc0 = roundUp((rows + mBlocks - 1) / mBlocks, MR);
        int nc0 = Math.min(NC, roundUp(j1 - j0, NR));
        if (ws.a.length < mc0 * kc0) ws.a = new float[mc0 * kc0];
        if (ws.b.length < nc0 * kc0) ws.b = new float[nc0 * kc0];
        float[] pa = ws.a, pb = ws.b;
        int firstMode = beta == 0f ? SgemmKernel.OVERWRITE : beta == 1f ? SgemmKernel.ACCUMULATE : SgemmKernel.SCALE;
        for (int jc = j0; jc < j1; jc += nc0) {
            int nc = Math.min(nc0, j1 - jc);
            for (int pc = 0; pc < k; pc += kc0) {
                int kc = Math.min(kc0, k - pc);
                SgemmPack.packB(transB, b, bOff, ldb, pc, kc, jc, nc, pb);
                int mode = pc == 0 ? firstMode : SgemmKernel.ACCUMULATE;
                for (int ic = i0; ic < i1; ic += mc0) {
                    int mc = Math.min(mc0, i1 - ic);
                    SgemmPack.packA(transA, a, aOff, lda, ic, mc, pc, kc, alpha, pa);
                    macro(kc, mc, nc, pa, pb, c, cOff + ic * ldc + jc, ldc, mode, beta, ws.scratch);
                }
            }
        }
    }

    /** Sweeps a packed mc x kc A block against a packed kc x nc B slice, tile by tile. */
    private static void macro(int kc, int mc, int nc, float[] pa, float[] pb, float[] c, int ci, int ldc,
                              int mode, float beta, float[] scratch) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr), bi = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir), cij = ci + ir * ldc + jr;
                if (mr == MR && nr == NR) SgemmKernel.tile(kc, pa, ir * kc, pb, bi, c, cij, ldc, mode, beta);
                else SgemmKernel.edgeTile(kc, pa, ir * kc, pb, bi, c, cij, ldc, mr, nr, mode, beta, scratch);
            }
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
