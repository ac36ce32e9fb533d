package org.sinter.backend.cpu;

import org.sinter.kernels.Parallel;

/**
 * Walks several operands of one logical shape (each with its own strides and offset; stride 0 for
 * broadcast dimensions) as a sequence of 1-D rows: the innermost run after merging dimensions that
 * are contiguous for every operand. Kernels then see (offset, stride, length) per operand, so
 * contiguous and broadcast inputs hit their SIMD paths and strided views need no copy.
 */
public final class StridedIter {
    /** Receives one row: the operands' offsets at the row start and the row length. */
    @FunctionalInterface
    public interface RowBody {
        void row(int[] offsets, int n);
    }

    private final int[] shape;      // coalesced; the last entry is the row length
    private final int[][] strides;  // [operand][dim]
    private final int[] base;
    /** Inner (row) stride of each operand. */
    public final int[] innerStrides;
    public final int rowLength;
    public final int rows;

    public StridedIter(int[] shape, int[][] operandStrides, int[] offsets) {
        int ops = operandStrides.length;
        int nd = shape.length;
        int[] s = new int[Math.max(nd, 1)];
        int[][] st = new int[ops][Math.max(nd, 1)];
        int k = 0;
        boolean empty = false;
        for (int d = 0; d < nd; d++) {
            if (shape[d] == 0) empty = true;
            if (shape[d] == 1) continue; // size-1 dims contribute nothing
            if (k > 0 && mergeable(st, k - 1, s[k - 1], operandStrides, d, shape[d])) {
                for (int o = 0; o < ops; o++) st[o][k - 1] = operandStrides[o][d];
                s[k - 1] *= shape[d];
                continue;
            }
            s[k] = shape[d];
            for (int o = 0; o < ops; o++) st[o][k] = operandStrides[o][d];
            k++;
        }
        if (k == 0) { s[0] = 1; k = 1; }
        this.shape = java.util.Arrays.copyOf(s, k);
        this.strides = new int[ops][];
        for (int o = 0; o < ops; o++) strides[o] = java.util.Arrays.copyOf(st[o], k);
        this.base = offsets.clone();
        this.innerStrides = new int[ops];
        for (int o = 0; o < ops; o++) innerStrides[o] = strides[o][k - 1];
        this.rowLength = empty ? 0 : this.shape[k - 1];
        int r = 1;
        for (int d = 0; d < k - 1; d++) r *= this.shape[d];
        this.rows = empty ? 0 : r;
    }

    /** Dims (prev, d) merge when, for every operand, stepping the outer dim equals a full inner run. */
    private static boolean mergeable(int[][] st, int prev, int prevSize, int[][] src, int d, int size) {
        for (int o = 0; o < st.length; o++) {
            if (st[o][prev] != (long) src[o][d] * size) return false;
        }
        return true;
    }

    /** Runs rows [from, to) serially. */
    public void forRows(int from, int to, RowBody body) {
        if (from >= to || rowLength == 0) return;
        int ops = base.length, nd = shape.length;
        int[] idx = new int[nd];
        int[] offs = base.clone();
        int rem = from;
        for (int d = nd - 2; d >= 0; d--) {
            idx[d] = rem % shape[d];
            rem /= shape[d];
            for (int o = 0; o < ops; o++) offs[o] += idx[d] * strides[o][d];
        }
        for (int r = from; r < to; r++) {
            body.row(offs, rowLength);
            for (int d = nd - 2; d >= 0; d--) {
                idx[d]++;
                for (int o = 0; o < ops; o++) offs[o] += strides[o][d];
                if (idx[d] < shape[d]) break;
                for (int o = 0; o < ops; o++) offs[o] -= shape[d] * strides[o][d];
                idx[d] = 0;
            }
        }
    }

    /**
     * Runs all rows, in parallel when there is enough work. A single long row is left to the
     * kernel, which parallelizes within it.
     */
    public void forEachRow(RowBody body) {
        if (rows <= 1) {
            forRows(0, rows, body);
            return;
        }
        int grain = Math.max(1, (Parallel.PARALLEL_MIN_ELEMENTS / 2) / Math.max(1, rowLength));
        Parallel.forRange(rows, grain, (s, e) -> forRows(s, e, body));
    }
}
