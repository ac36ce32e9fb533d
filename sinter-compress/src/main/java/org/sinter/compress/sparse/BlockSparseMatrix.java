package org.sinter.compress.sparse;

import org.sinter.kernels.Parallel;

/**
 * Block-sparse rows with blocks of 4 rows x {@code blockCols} columns: a block is stored (densely,
 * row-major) when any of its entries is nonzero. A kept block feeds four output rows from each input
 * row it loads, so the kernel does four multiply-adds per load instead of CSR's one; it pays when
 * pruning removes whole blocks (see {@code BlockMagnitude}). Rows are padded to a multiple of 4;
 * columns must be a multiple of {@code blockCols}.
 */
public final class BlockSparseMatrix implements SparseMatrix {
    /** Rows per block: the four accumulator rows of the kernel. */
    public static final int BLOCK_ROWS = 4;

    private final int rows, cols, blockCols;
    final int[] blockRowPtr, blockCol;
    final float[] values;
    private final double sparsity;

    private BlockSparseMatrix(int rows, int cols, int blockCols, int[] blockRowPtr, int[] blockCol, float[] values, double sparsity) {
        this.rows = rows;
        this.cols = cols;
        this.blockCols = blockCols;
        this.blockRowPtr = blockRowPtr;
        this.blockCol = blockCol;
        this.values = values;
        this.sparsity = sparsity;
    }

    /** Whether a {@code rows x cols} matrix can be tiled by 4 x {@code blockCols} blocks (rows are padded). */
    public static boolean tiles(int cols, int blockCols) {
        return blockCols >= 1 && cols % blockCols == 0;
    }

    public static BlockSparseMatrix fromDense(float[] dense, int offset, int rows, int cols, int blockCols) {
        SparseChecks.dense("BlockSparseMatrix", dense, offset, rows, cols);
        if (!tiles(cols, blockCols)) {
            throw new IllegalArgumentException("BlockSparseMatrix: " + cols + " columns are not a multiple of the block width " + blockCols);
        }
        int blockRows = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS, colBlocks = cols / blockCols;
        int[] ptr = new int[blockRows + 1];
        java.util.List<Integer> kept = new java.util.ArrayList<>();
        long zeros = 0;
        for (int i = 0; i < rows * cols; i++) if (dense[offset + i] == 0f) zeros++;
        for (int br = 0; br < blockRows; br++) {
            for (int bc = 0; bc < colBlocks; bc++) {
                if (blockNonzero(dense, offset, rows, cols, blockCols, br, bc)) kept.add(bc);
            }
            ptr[br + 1] = kept.size();
        }
        int[] blockCol = new int[kept.size()];
        float[] values = new float[kept.size() * BLOCK_ROWS * blockCols];
        for (int br = 0, q = 0; br < blockRows; br++) {
            for (; q < ptr[br + 1]; q++) {
                int bc = kept.get(q);
                blockCol[q] = bc;
                for (int i = 0; i < BLOCK_ROWS; i++) {
                    int r = br * BLOCK_ROWS + i;
                    if (r >= rows) continue;
                    System.arraycopy(dense, offset + r * cols + bc * blockCols, values, (q * BLOCK_ROWS + i) * blockCols, blockCols);
                }
            }
        }
        double sparsity = rows * (long) cols == 0 ? 0 : zeros / ((double) rows * cols);
        return new BlockSparseMatrix(rows, cols, blockCols, ptr, blockCol, values, sparsity);
    }

    private static boolean blockNonzero(float[] d, int off, int rows, int cols, int bw, int br, int bc) {
        for (int i = 0; i < BLOCK_ROWS; i++) {
            int r = br * BLOCK_ROWS + i;
            if (r >= rows) break;
            for (int c = 0; c < bw; c++) if (d[off + r * cols + bc * bw + c] != 0f) return true;
        }
        return false;
    }

    public int blockCols() {
        return blockCols;
    }

    /** Stored blocks. */
    public int blocks() {
        return blockCol.length;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public int storedValues() {
        return values.length;
    }

    @Override
    public double sparsity() {
        return sparsity;
    }

    @Override
    public void multiply(float[] b, int bOff, int n, float[] y, int yOff, float[] bias) {
        SparseChecks.operands("block-sparse multiply", this, b, bOff, n, y, yOff, bias);
        int blockRows = blockRowPtr.length - 1;
        long workPerBlockRow = Math.max(1, (long) values.length * n / Math.max(1, blockRows));
        int grain = (int) Math.max(1, SparseChecks.PARALLEL_GRAIN_FMAS / workPerBlockRow);
        Parallel.forRange(blockRows, grain,
                (br0, br1) -> SpmmKernels.blockRows4(blockRowPtr, blockCol, values, blockCols, rows, b, bOff, n, y, yOff, bias, br0, br1));
    }

    @Override
    public float[] toDense() {
        float[] out = new float[rows * cols];
        for (int br = 0; br + 1 < blockRowPtr.length; br++) {
            for (int q = blockRowPtr[br]; q < blockRowPtr[br + 1]; q++) {
                for (int i = 0; i < BLOCK_ROWS; i++) {
                    int r = br * BLOCK_ROWS + i;
                    if (r >= rows) continue;
                    System.arraycopy(values, (q * BLOCK_ROWS + i) * blockCols, out, r * cols + blockCol[q] * blockCols, blockCols);
                }
            }
        }
        return out;
    }
}
