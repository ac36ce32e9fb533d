package org.sinter.compress.sparse;

/** How a layer multiplies by its weight: Sinter's dense kernels, CSR, or 4 x 4 block-sparse rows. */
public enum SparseFormat {
    DENSE, CSR, BLOCK4X4;

    /** The block width of {@link #BLOCK4X4}. */
    public static final int BLOCK_COLS = 4;

    /** The weight ({@code rows x cols}, row-major) in this format; null for {@link #DENSE}. */
    public SparseMatrix build(float[] dense, int rows, int cols) {
        return switch (this) {
            case DENSE -> null;
            case CSR -> CsrMatrix.fromDense(dense, 0, rows, cols);
            case BLOCK4X4 -> BlockSparseMatrix.fromDense(dense, 0, rows, cols, BLOCK_COLS);
        };
    }

    /** Whether a {@code rows x cols} weight can use this format. */
    public boolean fits(int rows, int cols) {
        return this != BLOCK4X4 || BlockSparseMatrix.tiles(cols, BLOCK_COLS);
    }
}
