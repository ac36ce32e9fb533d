package org.sinter.kernels;

/** Argument checks shared by the kernels, so a bad offset fails with a message naming the kernel. */
final class Checks {
    /**
     * Elementwise kernels with at least this many elements split across {@link Parallel}. Waking
     * a parked pool worker costs 20–50 µs, about what one core needs for 256K floats of streaming
     * work, so smaller loops stay on the calling thread.
     */
    static final int PARALLEL_MIN = Parallel.PARALLEL_MIN_ELEMENTS;
    /** The smallest chunk one thread gets in an elementwise loop. */
    static final int GRAIN = PARALLEL_MIN / 2;

    private Checks() {}

    /** True when a loop of {@code work} elements should be split across threads. */
    static boolean parallel(long work) {
        return work >= PARALLEL_MIN && Parallel.numThreads() > 1 && !Parallel.inWorker();
    }

    /** Checks that {@code off + i*stride} lies in {@code [0, length)} for every {@code i < n}. */
    static void strided(String kernel, Object fn, String name, int length, int off, int stride, int n) {
        if (n < 0) throw new IllegalArgumentException(kernel + " " + fn + ": negative element count " + n);
        if (n == 0) return;
        long last = off + (long) (n - 1) * stride;
        if (off < 0 || off >= length || last < 0 || last >= length) {
            throw new IndexOutOfBoundsException(kernel + " " + fn + ": " + name + " range [offset " + off + ", stride " + stride
                    + ", count " + n + "] does not fit in an array of length " + length);
        }
    }

    /** Checks a contiguous range {@code [off, off + n)}. */
    static void contiguous(String kernel, Object fn, String name, int length, int off, long n) {
        if (n < 0) throw new IllegalArgumentException(kernel + " " + fn + ": negative element count " + n);
        if (off < 0 || off + n > length) {
            throw new IndexOutOfBoundsException(kernel + " " + fn + ": " + name + " range [" + off + ", " + (off + n)
                    + ") does not fit in an array of length " + length);
        }
    }

    /** Checks an [outer, r, inner] block and returns its element count. */
    static long block(String kernel, int outer, int r, int inner) {
        if (outer < 0 || r < 0 || inner < 0) {
            throw new IllegalArgumentException(kernel + ": negative extent in [outer, r, inner] = ["
                    + outer + ", " + r + ", " + inner + "]");
        }
        long total = (long) outer * r * inner;
        if ((long) outer * inner > Integer.MAX_VALUE || total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel + ": block [" + outer + ", " + r + ", " + inner
                    + "] is larger than a Java array");
        }
        return total;
    }
}
