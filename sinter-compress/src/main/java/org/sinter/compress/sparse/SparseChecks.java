package org.sinter.compress.sparse;

/** Argument checks shared by the sparse formats: a bad shape is an error naming the operand, not an index exception. */
final class SparseChecks {
    /** A parallel piece gets at least this many multiply-adds (waking a worker costs ~20-50 µs). */
    static final long PARALLEL_GRAIN_FMAS = 1L << 16;

    private SparseChecks() {}

    static void dense(String op, float[] dense, int offset, int rows, int cols) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException(op + ": negative shape " + rows + "x" + cols);
        if (offset < 0 || (long) offset + (long) rows * cols > dense.length) {
            throw new IllegalArgumentException(op + ": a " + rows + "x" + cols + " matrix at offset " + offset + " does not fit in " + dense.length + " values");
        }
    }

    static void operands(String op, SparseMatrix a, float[] b, int bOff, int n, float[] y, int yOff, float[] bias) {
        if (n < 1) throw new IllegalArgumentException(op + ": n must be >= 1, got " + n);
        if (bOff < 0 || (long) bOff + (long) a.cols() * n > b.length) {
            throw new IllegalArgumentException(op + ": B (" + a.cols() + "x" + n + " at offset " + bOff + ") does not fit in " + b.length + " values");
        }
        if (yOff < 0 || (long) yOff + (long) a.rows() * n > y.length) {
            throw new IllegalArgumentException(op + ": Y (" + a.rows() + "x" + n + " at offset " + yOff + ") does not fit in " + y.length + " values");
        }
        if (bias != null && bias.length != a.rows()) {
            throw new IllegalArgumentException(op + ": bias has " + bias.length + " values for " + a.rows() + " rows");
        }
    }
}
