package org.sinter.kernels.gemm;

import java.util.Locale;

/**
 * The GEMM entry point kernels call: dispatches to the pure-Java kernels ({@link Sgemm},
 * {@link Dgemm}) or to the system OpenBLAS ({@link OpenBlas}) by a run-time setting. The default is
 * {@link Provider#JAVA}; the system property {@code sinter.blas=java|openblas} sets the initial
 * choice and {@link #setProvider} changes it.
 */
public final class Gemm {
    /** Who computes the product. */
    public enum Provider {
        /** Sinter's own Vector API kernels: always there. */
        JAVA,
        /** The system OpenBLAS through the FFM API: only where the library is installed. */
        OPENBLAS
    }

    private static volatile Provider provider;

    private Gemm() {}

    /**
     * Selects the provider for all later calls. Selecting {@link Provider#OPENBLAS} when the
     * library is missing throws {@link IllegalStateException} naming the places searched.
     */
    public static void setProvider(Provider p) {
        if (p == null) throw new IllegalArgumentException("Gemm.setProvider: provider is null");
        if (p == Provider.OPENBLAS) OpenBlas.requireAvailable();
        provider = p;
    }

    /** The provider in use; on first use it is read from {@code sinter.blas} (default java). */
    public static Provider provider() {
        Provider p = provider;
        if (p == null) {
            String prop = System.getProperty("sinter.blas", "java").trim().toLowerCase(Locale.ROOT);
            p = switch (prop) {
                case "java" -> Provider.JAVA;
                case "openblas" -> Provider.OPENBLAS;
                default -> throw new IllegalArgumentException(
                        "system property sinter.blas must be java or openblas, got '" + prop + "'");
            };
            setProvider(p);
        }
        return p;
    }

    /** {@code C = alpha*op(A)*op(B) + beta*C} in float32; arguments as in {@link Sgemm#sgemm}. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (provider() == Provider.OPENBLAS) OpenBlas.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        else Sgemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * As {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)},
     * then {@code epilogue} over C: block by block while in cache with the Java kernels, once over
     * the whole of C after OpenBLAS.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        if (provider() == Provider.OPENBLAS) {
            OpenBlas.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            if (epilogue != null && m > 0 && n > 0) epilogue.apply(0, m, 0, n);
        } else {
            Sgemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, epilogue);
        }
    }

    /**
     * {@code C = op(A) * B} for a pre-packed B, then {@code epilogue} (see {@link Sgemm}); with
     * OpenBLAS, the product of B's unpacked source, then the epilogue over the whole of C.
     */
    public static void sgemm(boolean transA, int m, float[] a, int aOff, int lda, PackedB b,
                             float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        if (provider() == Provider.OPENBLAS) {
            sgemm(transA, b.trans, m, b.n, b.k, 1f, a, aOff, lda, b.source, b.sourceOff, b.ldb, 0f, c, cOff, ldc, epilogue);
        } else {
            Sgemm.sgemm(transA, m, a, aOff, lda, b, c, cOff, ldc, epilogue);
        }
    }

    /** {@code C = A * op(B)} for a pre-packed A, then {@code epilogue} (see {@link Sgemm}). */
    public static void sgemm(PackedA a, boolean transB, int n, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
        if (provider() == Provider.OPENBLAS) {
            sgemm(a.trans, transB, a.m, n, a.k, 1f, a.source, a.sourceOff, a.lda, b, bOff, ldb, 0f, c, cOff, ldc, epilogue);
        } else {
            Sgemm.sgemm(a, transB, n, b, bOff, ldb, c, cOff, ldc, epilogue);
        }
    }

    /** {@code C = alpha*op(A)*op(B) + beta*C} in float64; arguments as in {@link Dgemm#dgemm}. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        if (provider() == Provider.OPENBLAS) OpenBlas.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        else Dgemm.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
