package org.sinter.compress.sparse;

import org.sinter.kernels.Parallel;

/**
 * Compressed sparse rows: for row r, the nonzeros are {@code values[rowPtr[r] .. rowPtr[r+1])} at
 * columns {@code colIdx[...]}. Suits unstructured sparsity: one stored value per nonzero (plus a
 * 4-byte column index).
 */
public final class CsrMatrix implements SparseMatrix {
    private final int rows, cols;
    final int[] rowPtr, colIdx;
    final float[] values;
    private final double sparsity;

    private CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
        this.sparsity = rows * (long) cols == 0 ? 0 : 1 - values.length / ((double) rows * cols);
    }

    /**
     * Bytes of the CSR form of a dense row-major matrix of {@code rows} rows (float32 values, int32
     * column indices and row pointers): what a sparse checkpoint of it stores.
     */
    public static long storageBytes(float[] dense, int rows) {
        long nnz = 0;
        for (float v : dense) if (v != 0f) nnz++;
        return nnz * (Float.BYTES + Integer.BYTES) + (rows + 1L) * Integer.BYTES;
    }

    /** The CSR form of a dense row-major {@code rows x cols} matrix (exact zeros are dropped). */
    public static CsrMatrix fromDense(float[] dense, int offset, int rows, int cols) {
        SparseChecks.dense("CsrMatrix", dense, offset, rows, cols);
        int nnz = 0;
        for (int i = 0; i < rows * cols; i++) if (dense[offset + i] != 0f) nnz++;
        int[] rowPtr = new int[rows + 1], colIdx = new int[nnz];
        float[] values = new float[nnz];
        int p = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float v = dense[offset + r * cols + c];
                if (v != 0f) {
                    colIdx[p] = c;
                    values[p++] = v;
                }
            }
            rowPtr[r + 1] = p;
        }
        return new CsrMatrix(rows, cols, rowPtr, colIdx, values);
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
        SparseChecks.operands("CSR multiply", this, b, bOff, n, y, yOff, bias);
        long workPerRow = Math.max(1, (long) values.length * n / Math.max(1, rows));
        int grain = (int) Math.max(1, SparseChecks.PARALLEL_GRAIN_FMAS / workPerRow);
        if (n == 1) {
            Parallel.forRange(rows, grain, (r0, r1) -> SpmmKernels.csrVector(rowPtr, colIdx, values, b, bOff, y, yOff, bias, r0, r1));
            return;
        }
        int[] rowStart = new int[colIdx.length];
        for (int p = 0; p < rowStart.length; p++) rowStart[p] = colIdx[p] * n;
        Parallel.forRange(rows, grain, (r0, r1) -> SpmmKernels.csrOffsets(rowPtr, rowStart, values, b, bOff, n, y, yOff, bias, r0, r1));
    }

    /**
     * Rows {@code [r0, r1)} times B where nonzero p's slice of B starts at {@code bOff + rowStart[p]}
     * (n >= 2, no bounds check beyond the array's): the direct sparse convolution's entry.
     */
    void multiplyOffsets(int[] rowStart, float[] b, int bOff, int n, float[] y, int yOff, float[] bias, int r0, int r1) {
        SpmmKernels.csrOffsets(rowPtr, rowStart, values, b, bOff, n, y, yOff, bias, r0, r1);
    }

    @Override
    public float[] toDense() {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int p = rowPtr[r]; p < rowPtr[r + 1]; p++) out[r * cols + colIdx[p]] = values[p];
        return out;
    }
}
