package org.sinter;

import java.util.Arrays;

/** Shape arithmetic shared by ops: sizes, strides, broadcasting and dimension wrapping. */
public final class Shape {
    private Shape() {}

    /** The most elements one tensor's storage (a Java array) can hold. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 16;

    /** The element count of {@code shape}, refused with one clear error when a tensor cannot hold it. */
    public static int numel(int[] shape) {
        return checkElements("tensor of shape " + Arrays.toString(shape), numelLong(shape));
    }

    /** The element count of {@code shape}, saturating at Long.MAX_VALUE. */
    public static long numelLong(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s == 0) return 0;
            n = Math.multiplyHigh(n, s) != 0 || n * s < 0 ? Long.MAX_VALUE : n * s;
        }
        return n;
    }

    /** {@code t.numel()} as an int, for kernels; only a broadcast view can have more elements, and it is refused. */
    public static int numel(Tensor t) {
        return numel(t.shape);
    }

    /** Refuses a count of elements no tensor can hold: "too many elements", naming what asked for them. */
    public static int checkElements(String what, long n) {
        if (n > MAX_ELEMENTS || n < 0) {
            throw new IllegalArgumentException(what + ": too many elements (" + (n == Long.MAX_VALUE ? "more than 2^63" : n)
                    + "); a Sinter tensor holds at most 2^31 - 17 elements");
        }
        return (int) n;
    }

    /** Row-major (C-contiguous) strides. */
    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return st;
    }

    /** Wraps a possibly negative dim into [0, rank); names the op in the error. */
    public static int wrapDim(String op, int dim, int rank) {
        int r = Math.max(rank, 1); // a 0-d tensor accepts dim 0 and -1, like PyTorch
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException(op + ": dimension out of range (expected to be in range of ["
                    + (-r) + ", " + (r - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    /** NumPy broadcasting of two shapes; the error names the op and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot be broadcast together (size " + da + " vs " + db + " at dimension " + i + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Whether {@code from} can be broadcast to {@code to}. */
    public static boolean broadcastableTo(int[] from, int[] to) {
        if (from.length > to.length) return false;
        int off = to.length - from.length;
        for (int i = 0; i < from.length; i++) if (from[i] != 1 && from[i] != to[i + off]) return false;
        return true;
    }

    /** Strides that read a tensor of {@code shape}/{@code strides} as if broadcast to {@code to}. */
    public static int[] broadcastStrides(int[] shape, int[] strides, int[] to) {
        int[] out = new int[to.length];
        int off = to.length - shape.length;
        for (int i = 0; i < shape.length; i++) out[i + off] = shape[i] == 1 && to[i + off] != 1 ? 0 : strides[i];
        return out;
    }

    /** Resolves one -1 entry in a reshape target. */
    public static int[] inferSize(String op, int[] shape, long numel) {
        int[] out = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one dimension can be inferred in " + Arrays.toString(shape));
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid shape dimension " + out[i] + " in " + Arrays.toString(shape));
            } else {
                known = Math.multiplyHigh(known, out[i]) != 0 ? Long.MAX_VALUE : known * out[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " is invalid for input of size " + numel);
            }
            out[infer] = checkElements(op + ": inferred dimension of " + Arrays.toString(shape), numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " is invalid for input of size " + numel);
        }
        return out;
    }

    /**
     * Refuses a view geometry that would address memory outside a storage of {@code storageLength}
     * elements (or has negative sizes or offset), naming the op and the whole geometry. Negative
     * strides are allowed here (kernels read reversed views through them); the public
     * {@code asStrided} refuses them, as PyTorch does.
     */
    public static void checkGeometry(String op, int[] shape, int[] strides, int offset, int storageLength) {
        String geometry = "sizes " + Arrays.toString(shape) + ", strides " + Arrays.toString(strides) + " and storage offset " + offset;
        if (shape.length != strides.length) throw new IllegalArgumentException(op + ": " + geometry + ": sizes and strides differ in length");
        long first = offset, last = offset;
        boolean empty = false;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) throw new IllegalArgumentException(op + ": " + geometry + ": negative size");
            empty |= shape[d] == 0;
            long reach = (long) Math.max(shape[d] - 1, 0) * strides[d];
            if (reach < 0) first += reach;
            else last += reach;
        }
        if (empty) return;
        if (first < 0 || last >= storageLength) {
            throw new IllegalArgumentException(op + ": " + geometry + " address elements " + first + " to " + last
                    + ", out of bounds for a storage of " + storageLength + " elements");
        }
    }

    public static void checkShape(String op, int[] shape) {
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException(op + ": negative dimension in shape " + Arrays.toString(shape));
        }
    }

    /** Whether a sorted-unique set of dims (after wrapping) is given; returns a mask over rank dims. */
    public static boolean[] dimMask(String op, int[] dims, int rank) {
        boolean[] m = new boolean[Math.max(rank, 0)];
        for (int d : dims) {
            int w = wrapDim(op, d, rank);
            if (rank == 0) continue;
            if (m[w]) throw new IllegalArgumentException(op + ": dim " + w + " appears multiple times in the list of dims");
            m[w] = true;
        }
        return m;
    }
}
