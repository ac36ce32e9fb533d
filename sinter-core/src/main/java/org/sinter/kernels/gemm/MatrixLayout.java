package org.sinter.kernels.gemm;

/**
 * How the GEMM reads a strided matrix in place: row-major ({@code trans} false) or column-major
 * (a transposed view) with leading dimension {@code ld}. One rule for every caller, so the eager
 * product and a compiled one make the same call and get the same bits.
 */
public record MatrixLayout(boolean trans, int ld) {
    /** The layout of a {@code rows x cols} matrix with the given strides, or null when the GEMM cannot read it in place. */
    public static MatrixLayout of(int rows, int cols, int rowStride, int colStride) {
        if (colStride == 1 && (rowStride >= Math.max(1, cols) || rows <= 1)) return new MatrixLayout(false, Math.max(rowStride, Math.max(1, cols)));
        if (rowStride == 1 && (colStride >= Math.max(1, rows) || cols <= 1)) return new MatrixLayout(true, Math.max(colStride, Math.max(1, rows)));
        return null;
    }
}
