package org.sinter.kernels.gemm;

/**
 * Single-precision general matrix multiply in pure Java: {@code C = alpha*op(A)*op(B) + beta*C} on
 * row-major arrays, with the same argument meaning as row-major CBLAS {@code cblas_sgemm}.
 *
 * <p>Large products are packed and cache-blocked ({@link SgemmBlocked}) and run on the shared
 * intra-op pool ({@link org.sinter.kernels.Parallel}) through a register-tiled Vector API
 * micro-kernel ({@link MicroKernel}: 8x32 in 512-bit vectors where the machine prefers them, else 4x16
 * in 256-bit ones). Small and skinny products take {@link SgemmSmall}, which skips
 * packing and threads.
 */
public final class Sgemm {
    private Sgemm() {}

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
        if (SgemmSmall.handles(transA, transB, m, n, k)) {
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
        if (m == 0 || n == 0) return;
        if (k == 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        SgemmBlocked.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
