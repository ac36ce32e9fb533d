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
        sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null);
    }

    /**
     * As {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)},
     * then {@code epilogue} on each finished block of C while it is in cache (null: none). C holds
     * exactly the bits the call without an epilogue would leave when each block reaches it.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        GemmArgs.check("sgemm", transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            if (epilogue != null) epilogue.apply(0, m, 0, n);
            return;
        }
        if (SgemmSmall.handles(transA, transB, m, n, k)) {
            SgemmSmall.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            if (epilogue != null) epilogue.apply(0, m, 0, n);
            return;
        }
        SgemmBlocked.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, epilogue);
    }

    /**
     * {@code C = op(A) * B} for a pre-packed B ({@link PackedB}), then {@code epilogue} on each
     * finished block (null: none). The same bits as the unpacked call on B's source: products small
     * enough for the unpacked kernels run those kernels' order, on the packed panels when B is
     * untransposed and A is not ({@link SgemmPackedSmall}), else on B's source in place.
     */
    public static void sgemm(boolean transA, int m, float[] a, int aOff, int lda, PackedB b,
                             float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        int n = b.n, k = b.k;
        GemmArgs.check("sgemm", transA, false, m, n, k, a.length, aOff, lda, n * k, 0, n, c.length, cOff, ldc);
        if (m == 0) return;
        if (SgemmSmall.handles(transA, b.trans, m, n, k)) {
            // Few rows against an untransposed B (a frozen program's folded weight): the packed
            // panels, in the small kernels' order; else those kernels on B's source.
            if (SgemmPackedSmall.handles(transA, b)) {
                SgemmPackedSmall.sgemm(m, a, aOff, lda, b, c, cOff, ldc, epilogue);
                return;
            }
            SgemmSmall.sgemm(transA, b.trans, m, n, k, 1f, a, aOff, lda, b.source, b.sourceOff, b.ldb, 0f, c, cOff, ldc);
            if (epilogue != null) epilogue.apply(0, m, 0, n);
            return;
        }
        SgemmBlocked.prepacked(transA, m, a, aOff, lda, b, c, cOff, ldc, epilogue);
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

    /**
     * {@code C = A * op(B)} for a pre-packed A ({@link PackedA}), then {@code epilogue} on each
     * finished block (null: none); the same bits as the unpacked call on A's source.
     */
    public static void sgemm(PackedA a, boolean transB, int n, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        int m = a.m, k = a.k;
        GemmArgs.check("sgemm", false, transB, m, n, k, m * k, 0, k, b.length, bOff, ldb, c.length, cOff, ldc);
        if (n == 0) return;
        if (SgemmSmall.handles(a.trans, transB, m, n, k)) {
            SgemmSmall.sgemm(a.trans, transB, m, n, k, 1f, a.source, a.sourceOff, a.lda, b, bOff, ldb, 0f, c, cOff, ldc);
            if (epilogue != null) epilogue.apply(0, m, 0, n);
            return;
        }
        SgemmBlocked.prepackedA(a, transB, n, b, bOff, ldb, c, cOff, ldc, epilogue);
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
        SgemmBlocked.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null);
    }
}
