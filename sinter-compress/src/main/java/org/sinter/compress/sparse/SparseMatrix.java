package org.sinter.compress.sparse;

/**
 * A sparse {@code rows x cols} float32 matrix A that multiplies dense row-major matrices:
 * {@code Y (rows x n) = A · B (cols x n) + bias} (bias per row, may be null). Layers use it as
 * {@code W · Xᵀ} (Linear) and {@code W · im2col(x)} (Conv2d).
 */
public sealed interface SparseMatrix permits CsrMatrix, BlockSparseMatrix {
    int rows();

    int cols();

    /** Stored values (for block formats, including the zeros inside kept blocks). */
    int storedValues();

    /** Fraction of zeros in the dense matrix this was built from. */
    double sparsity();

    /**
     * {@code y[yOff + r*n + j] = bias[r] + Σ_k A[r,k] · b[bOff + k*n + j]}; parallel over rows when
     * called outside a parallel region and the work is large enough.
     */
    void multiply(float[] b, int bOff, int n, float[] y, int yOff, float[] bias);

    /** The dense matrix back, row-major (for tests and conversions). */
    float[] toDense();
}
