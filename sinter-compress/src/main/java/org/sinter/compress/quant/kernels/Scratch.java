package org.sinter.compress.quant.kernels;

/**
 * Per-thread buffers of the int8 convolutions, grown on demand and reused from call to call
 * (fresh arrays cost ~15 MB of zeroing per call at batch 32); every call writes all it reads.
 * The im2col path uses the shorts, ints and column sums, the direct path the two float buffers.
 */
final class Scratch {
    private short[] shorts = new short[0];
    private int[] ints = new int[0], colSums = new int[0];
    private float[] input = new float[0], sums = new float[0];

    private static final ThreadLocal<Scratch> THREAD = ThreadLocal.withInitial(Scratch::new);

    /** The calling thread's buffers. */
    static Scratch get() {
        return THREAD.get();
    }

    short[] shorts(int n) {
        if (shorts.length < n) shorts = new short[n];
        return shorts;
    }

    int[] ints(int n) {
        if (ints.length < n) ints = new int[n];
        return ints;
    }

    /** Exactly {@code n} long: the caller fills and reads it whole. */
    int[] colSums(int n) {
        if (colSums.length != n) colSums = new int[n];
        return colSums;
    }

    float[] input(int n) {
        if (input.length < n) input = new float[n];
        return input;
    }

    float[] sums(int n) {
        if (sums.length < n) sums = new float[n];
        return sums;
    }
}
