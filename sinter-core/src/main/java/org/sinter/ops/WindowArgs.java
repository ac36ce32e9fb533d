package org.sinter.ops;

import java.util.Arrays;

/**
 * The checks of a sliding window's hyper-parameters (kernel size, stride, padding, dilation,
 * groups), shared by the pooling and convolution functions, the constructors of their layers and
 * the meta functions of their primitives: each rule has one message, in PyTorch's words, and a
 * zero stride or kernel never reaches the division that computes an output size.
 *
 * <p>Arrays hold one value per spatial dimension, or one value for all of them.
 */
public final class WindowArgs {
    private WindowArgs() {}

    public static void kernel(String op, int... k) {
        if (Arrays.stream(k).anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException(op + ": kernel size should be greater than zero, but got " + Arrays.toString(k));
        }
    }

    public static void stride(String op, int... s) {
        if (Arrays.stream(s).anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException(op + ": stride should be greater than zero, but got " + Arrays.toString(s));
        }
    }

    public static void dilation(String op, int... d) {
        if (Arrays.stream(d).anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException(op + ": dilation should be greater than zero, but got " + Arrays.toString(d));
        }
    }

    /** Padding (and a transposed convolution's output padding) is never negative. */
    public static void padding(String op, String name, int... p) {
        if (Arrays.stream(p).anyMatch(v -> v < 0)) {
            throw new IllegalArgumentException(op + ": " + name + " should be non-negative, but got " + Arrays.toString(p));
        }
    }

    public static void groups(String op, int groups) {
        if (groups <= 0) throw new IllegalArgumentException(op + ": non-positive groups is not supported, got " + groups);
    }

    /** Kernel, stride, padding and dilation of one window, in that order of checking. */
    public static void window(String op, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        kernel(op, kernel);
        stride(op, stride);
        padding(op, "padding", padding);
        dilation(op, dilation);
    }

    /**
     * A pool's window: besides {@link #window}, padding at most half the kernel, so every window
     * holds an input element. PyTorch 1.13 compares with the kernel size, not the dilated extent.
     */
    public static void poolWindow(String op, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        window(op, kernel, stride, padding, dilation);
        for (int i = 0; i < Math.max(kernel.length, padding.length); i++) {
            int k = at(kernel, i), p = at(padding, i);
            if (p > k / 2) {
                throw new IllegalArgumentException(op + ": pad should be at most half of kernel size, but got pad=" + p
                        + " and kernel_size=" + k);
            }
        }
    }

    private static int at(int[] v, int i) {
        return v[v.length == 1 ? 0 : i];
    }
}
