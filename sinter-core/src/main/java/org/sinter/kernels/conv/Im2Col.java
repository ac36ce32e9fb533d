package org.sinter.kernels.conv;

import java.util.Arrays;

/**
 * Unfolds the receptive fields of a convolution into a matrix (im2col) and folds such a matrix
 * back by summation (col2im, its adjoint). For one group of one sample the matrix has a row per
 * (input channel, kernel row, kernel column) and a column per output pixel, so the convolution
 * is {@code weight[kg, patch] x cols[patch, oh*ow]}. Each row is a strided copy of an input
 * plane: the in-bounds output columns are computed once per row, padding columns are zeros, and
 * unit-stride rows are bulk copies.
 */
public final class Im2Col {
    private Im2Col() {}

    /** First output column whose input column {@code o*s - p + j*d} is >= 0. */
    static int firstValid(int p, int j, int d, int s) {
        return Math.max(0, Math.ceilDiv(p - j * d, s));
    }

    /** One past the last output column whose input column is < size, at least {@code lo}. */
    static int endValid(int size, int p, int j, int d, int s, int out, int lo) {
        return Math.max(lo, Math.min(out, Math.ceilDiv(size + p - j * d, s)));
    }

    /** Writes the {@code g.patch() x g.outPlane()} matrix of channels starting at {@code x[xOff]}. */
    public static void im2col(ConvGeometry g, float[] x, int xOff, float[] cols) {
        int oh = g.oh(), ow = g.ow(), h = g.h(), w = g.w();
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            int plane = xOff + c * h * w;
            for (int i = 0; i < g.kh(); i++) {
                int yLo = firstValid(g.ph(), i, g.dh(), g.sh()), yHi = endValid(h, g.ph(), i, g.dh(), g.sh(), oh, yLo);
                for (int j = 0; j < g.kw(); j++, row++) {
                    int xLo = firstValid(g.pw(), j, g.dw(), g.sw()), xHi = endValid(w, g.pw(), j, g.dw(), g.sw(), ow, xLo);
                    int base = row * oh * ow;
                    if (yLo > 0) Arrays.fill(cols, base, base + yLo * ow, 0f);
                    if (yHi < oh) Arrays.fill(cols, base + yHi * ow, base + oh * ow, 0f);
                    for (int y = yLo; y < yHi; y++) {
                        int src = plane + (y * g.sh() - g.ph() + i * g.dh()) * w - g.pw() + j * g.dw();
                        int dst = base + y * ow;
                        if (xLo > 0) Arrays.fill(cols, dst, dst + xLo, 0f);
                        if (xHi < ow) Arrays.fill(cols, dst + xHi, dst + ow, 0f);
                        if (g.sw() == 1) {
                            System.arraycopy(x, src + xLo, cols, dst + xLo, xHi - xLo);
                        } else {
                            int sw = g.sw();
                            for (int o = xLo; o < xHi; o++) cols[dst + o] = x[src + o * sw];
                        }
                    }
                }
            }
        }
    }

    /** Adds the columns back into the input planes starting at {@code x[xOff]} (which the caller zeroes). */
    public static void col2im(ConvGeometry g, float[] cols, float[] x, int xOff) {
        int oh = g.oh(), ow = g.ow(), h = g.h(), w = g.w();
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            int plane = xOff + c * h * w;
            for (int i = 0; i < g.kh(); i++) {
                int yLo = firstValid(g.ph(), i, g.dh(), g.sh()), yHi = endValid(h, g.ph(), i, g.dh(), g.sh(), oh, yLo);
                for (int j = 0; j < g.kw(); j++, row++) {
                    int xLo = firstValid(g.pw(), j, g.dw(), g.sw()), xHi = endValid(w, g.pw(), j, g.dw(), g.sw(), ow, xLo);
                    int base = row * oh * ow;
                    int sw = g.sw();
                    for (int y = yLo; y < yHi; y++) {
                        int dst = plane + (y * g.sh() - g.ph() + i * g.dh()) * w - g.pw() + j * g.dw();
                        int src = base + y * ow;
                        for (int o = xLo; o < xHi; o++) x[dst + o * sw] += cols[src + o];
                    }
                }
            }
        }
    }

    /** float64 twin of {@link #im2col(ConvGeometry, float[], int, float[])}. */
    public static void im2col(ConvGeometry g, double[] x, int xOff, double[] cols) {
        int oh = g.oh(), ow = g.ow(), h = g.h(), w = g.w();
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            int plane = xOff + c * h * w;
            for (int i = 0; i < g.kh(); i++) {
                int yLo = firstValid(g.ph(), i, g.dh(), g.sh()), yHi = endValid(h, g.ph(), i, g.dh(), g.sh(), oh, yLo);
                for (int j = 0; j < g.kw(); j++, row++) {
                    int xLo = firstValid(g.pw(), j, g.dw(), g.sw()), xHi = endValid(w, g.pw(), j, g.dw(), g.sw(), ow, xLo);
                    int base = row * oh * ow;
                    Arrays.fill(cols, base, base + oh * ow, 0.0);
                    int sw = g.sw();
                    for (int y = yLo; y < yHi; y++) {
                        int src = plane + (y * g.sh() - g.ph() + i * g.dh()) * w - g.pw() + j * g.dw();
                        int dst = base + y * ow;
                        for (int o = xLo; o < xHi; o++) cols[dst + o] = x[src + o * sw];
                    }
                }
            }
        }
    }

    /** float64 twin of {@link #col2im(ConvGeometry, float[], float[], int)}. */
    public static void col2im(ConvGeometry g, double[] cols, double[] x, int xOff) {
        int oh = g.oh(), ow = g.ow(), h = g.h(), w = g.w();
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            int plane = xOff + c * h * w;
            for (int i = 0; i < g.kh(); i++) {
                int yLo = firstValid(g.ph(), i, g.dh(), g.sh()), yHi = endValid(h, g.ph(), i, g.dh(), g.sh(), oh, yLo);
                for (int j = 0; j < g.kw(); j++, row++) {
                    int xLo = firstValid(g.pw(), j, g.dw(), g.sw()), xHi = endValid(w, g.pw(), j, g.dw(), g.sw(), ow, xLo);
                    int base = row * oh * ow;
                    int sw = g.sw();
                    for (int y = yLo; y < yHi; y++) {
                        int dst = plane + (y * g.sh() - g.ph() + i * g.dh()) * w - g.pw() + j * g.dw();
                        int src = base + y * ow;
                        for (int o = xLo; o < xHi; o++) x[dst + o * sw] += cols[src + o];
                    }
                }
            }
        }
    }
}
