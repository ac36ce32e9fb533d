package org.sinter.kernels.gemm;

import static org.sinter.kernels.gemm.MicroKernel.MR;
import static org.sinter.kernels.gemm.MicroKernel.NR_F64;

import org.sinter.kernels.Parallel;

/**
 * Double-precision general matrix multiply in pure Java, {@code C = alpha*op(A)*op(B) + beta*C},
 * with the argument meaning of row-major CBLAS {@code cblas_dgemm}. The same blocked, packed
 * scheme as {@link Sgemm} with a 4x8 double micro-kernel ({@link MicroKernel}); it aims to be
 * correct and reasonably fast (float64 is for checks and numerics, not the hot path).
 */
public final class Dgemm {
    private static final int KC = 256, MC = 128, NC = 1024;
    private static final long PARALLEL_MIN_FMAS = 1L << 20;

    private Dgemm() {}

    private static final class Workspace {
        double[] a = new double[0], b = new double[0];
        final double[] scratch = new double[MR * NR_F64];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /**
     * {@code C = alpha*op(A)*op(B) + beta*C} in float64; the arguments mean what they mean in
     * {@link Sgemm#sgemm}. When beta is 0, C is only written; when k is 0, C becomes beta*C.
     */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        GemmArgs.check("dgemm", transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0) {
            if (beta == 1) return;
            for (int i = 0; i < m; i++) {
                int row = cOff + i * ldc;
                for (int j = 0; j < n; j++) c[row + j] = beta == 0 ? 0 : beta * c[row + j];
            }
            return;
        }
        int mTiles = (m + MR - 1) / MR, nTiles = (n + NR_F64 - 1) / NR_F64;
        int threads = (long) m * n * k < PARALLEL_MIN_FMAS ? 1 : Parallel.numThreads();
        boolean splitN = nTiles >= mTiles;
        int parts = Math.max(1, Math.min(threads, splitN ? nTiles : mTiles));
        Parallel.forRange(parts, 1, (start, end) -> {
            for (int t = start; t < end; t++) {
                int tiles = splitN ? nTiles : mTiles, unit = splitN ? NR_F64 : MR, size = splitN ? n : m;
                int lo = Math.min(size, (int) ((long) tiles * t / parts) * unit);
                int hi = Math.min(size, (int) ((long) tiles * (t + 1) / parts) * unit);
                if (splitN) range(transA, transB, 0, m, lo, hi, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                else range(transA, transB, lo, hi, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
        });
    }

    private static void range(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, double alpha,
                              double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                              double beta, double[] c, int cOff, int ldc) {
        if (i0 >= i1 || j0 >= j1) return;
        Workspace ws = WORKSPACE.get();
        int kBlocks = (k + KC - 1) / KC, kc0 = (k + kBlocks - 1) / kBlocks;
        int rows = i1 - i0, mBlocks = (rows + MC - 1) / MC;
        int mc0 = ((rows + mBlocks - 1) / mBlocks + MR - 1) / MR * MR;
        int nc0 = Math.min(NC, (j1 - j0 + NR_F64 - 1) / NR_F64 * NR_F64);
        if (ws.a.length < mc0 * kc0) ws.a = new double[mc0 * kc0];
        if (ws.b.length < nc0 * kc0) ws.b = new double[nc0 * kc0];
        double[] pa = ws.a, pb = ws.b;
        int firstMode = beta == 0 ? MicroKernel.OVERWRITE : beta == 1 ? MicroKernel.ACCUMULATE : MicroKernel.SCALE;
        for (int jc = j0; jc < j1; jc += nc0) {
            int nc = Math.min(nc0, j1 - jc);
            for (int pc = 0; pc < k; pc += kc0) {
                int kc = Math.min(kc0, k - pc);
                MicroKernel.packB(transB, b, bOff, ldb, pc, kc, jc, nc, pb, 0);
                int mode = pc == 0 ? firstMode : MicroKernel.ACCUMULATE;
                for (int ic = i0; ic < i1; ic += mc0) {
                    int mc = Math.min(mc0, i1 - ic);
                    MicroKernel.packA(transA, a, aOff, lda, ic, mc, pc, kc, alpha, pa, 0);
                    for (int jr = 0; jr < nc; jr += NR_F64) {
                        int nr = Math.min(NR_F64, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir), ci = cOff + (ic + ir) * ldc + jc + jr;
                            if (mr == MR && nr == NR_F64) MicroKernel.tile(kc, pa, ir * kc, pb, jr * kc, c, ci, ldc, mode, beta);
                            else MicroKernel.edgeTile(kc, pa, ir * kc, pb, jr * kc, c, ci, ldc, mr, nr, mode, beta, ws.scratch);
                        }
                    }
                }
            }
        }
    }
}
