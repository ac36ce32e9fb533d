package org.sinter.kernels.gemm;

/** Argument checks shared by the GEMM entry points, so every provider fails the same clear way. */
final class GemmArgs {
    private GemmArgs() {}

    /**
     * Checks shapes, strides and that every element the call touches lies inside its array.
     * {@code aLen}/{@code bLen}/{@code cLen} are the array lengths.
     */
    static void check(String op, boolean transA, boolean transB, int m, int n, int k,
                      int aLen, int aOff, int lda, int bLen, int bOff, int ldb, int cLen, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0)
            throw new IllegalArgumentException(op + ": negative size m=" + m + " n=" + n + " k=" + k);
        // Stored shapes (row-major): A is m x k (k x m when transposed), B is k x n (n x k).
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        matrix(op, "A", aRows, aCols, aLen, aOff, lda);
        matrix(op, "B", bRows, bCols, bLen, bOff, ldb);
        matrix(op, "C", m, n, cLen, cOff, ldc);
    }

    private static void matrix(String op, String name, int rows, int cols, int len, int off, int ld) {
        if (ld < Math.max(1, cols))
            throw new IllegalArgumentException(op + ": ld" + name.toLowerCase() + "=" + ld + " is less than the row width "
                    + cols + " of " + name + " (" + rows + "x" + cols + ")");
        if (off < 0) throw new IllegalArgumentException(op + ": negative offset " + off + " for " + name);
        if (rows == 0 || cols == 0) return;
        long last = off + (long) (rows - 1) * ld + cols;
        if (last > len)
            throw new IllegalArgumentException(op + ": " + name + " (" + rows + "x" + cols + ", offset " + off + ", ld " + ld
                    + ") needs " + last + " elements but its array has " + len);
    }
}
