package org.sinter.backend.cpu;

import org.sinter.Storage;
import org.sinter.Tensor;

/**
 * The one range check of every kernel that reads an index tensor (gather, scatter, index_select,
 * index_add, embedding, max pooling's backward): an index must lie in {@code [0, size)}. Negative indices are errors, not
 * wrapped, as in PyTorch (its {@code take} and {@code index_fill} wrap, and Sinter has neither).
 * Values are only known to the kernel, so the check lives here rather than in a meta function.
 */
final class IndexBounds {
    private IndexBounds() {}

    /** {@code index} unchanged when in {@code [0, size)}; otherwise an error naming op, index, dim and size. */
    static int check(String op, long index, int dim, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(op + "(): index " + index + " is out of bounds for dimension " + dim
                    + " with size " + size);
        }
        return (int) index;
    }

    /** The index stored at {@code position}, checked. */
    static int at(String op, Storage indices, int position, int dim, int size) {
        return check(op, indices.getLong(position), dim, size);
    }

    /** Flat in-plane indices (max pooling's), {@code n} of them from {@code offset}: each in {@code [0, planeSize)}. */
    static void checkFlat(String op, long[] indices, int offset, int n, int planeSize) {
        for (int i = offset; i < offset + n; i++) {
            if (indices[i] < 0 || indices[i] >= planeSize) {
                throw new IndexOutOfBoundsException(op + "(): index " + indices[i] + " is out of bounds for a plane of "
                        + planeSize + " elements");
            }
        }
    }

    /** All values of an index tensor in row-major order, each checked. */
    static int[] values(String op, Tensor index, int dim, int size) {
        long[] raw = index.toLongArray();
        int[] out = new int[raw.length];
        for (int i = 0; i < raw.length; i++) out[i] = check(op, raw[i], dim, size);
        return out;
    }
}
