package org.sinter.kernels.conv;

import java.util.Map;

/**
 * The shape of one 2-D convolution, fixed once and shared by its three operators (the
 * convolution, its transpose and its weight gradient): input planes {@code c x h x w}, output
 * planes {@code k x oh x ow}, kernel {@code kh x kw}, stride, padding at the top/left, dilation and
 * groups. The bottom/right padding is implied by the output size, so asymmetric ("same") padding
 * needs nothing special.
 */
public record ConvGeometry(int c, int h, int w, int k, int oh, int ow, int kh, int kw,
                           int sh, int sw, int ph, int pw, int dh, int dw, int groups) {

    /** Channels of the input in one group. */
    public int cg() { return c / groups; }

    /** Channels of the output in one group. */
    public int kg() { return k / groups; }

    /** Rows of the im2col matrix of one group: {@code cg * kh * kw}. */
    public int patch() { return cg() * kh * kw; }

    /** Output pixels per plane. */
    public int outPlane() { return oh * ow; }

    /** Input pixels per plane. */
    public int inPlane() { return h * w; }

    /** Rows of the zero-padded input that the outputs read: {@code (oh-1)*sh + (kh-1)*dh + 1}. */
    public int paddedHeight() { return (oh - 1) * sh + (kh - 1) * dh + 1; }

    /** Columns of the zero-padded input that the outputs read: {@code (ow-1)*sw + (kw-1)*dw + 1}. */
    public int paddedWidth() { return (ow - 1) * sw + (kw - 1) * dw + 1; }

    /** A 1x1 kernel with unit stride and no padding: the convolution is one GEMM per sample. */
    public boolean pointwise() {
        return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && oh == h && ow == w;
    }

    /** Output size of one dimension: {@code floor((in + padBefore + padAfter - dil*(k-1) - 1) / stride) + 1}. */
    public static int outSize(int in, int padBefore, int padAfter, int kernel, int stride, int dilation) {
        return Math.floorDiv(in + padBefore + padAfter - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /** Attributes for printing and graph capture. */
    public Map<String, Object> attributes() {
        return Map.of("kernel_size", java.util.List.of(kh, kw), "stride", java.util.List.of(sh, sw),
                "padding", java.util.List.of(ph, pw), "dilation", java.util.List.of(dh, dw), "groups", groups,
                "input_size", java.util.List.of(h, w), "output_size", java.util.List.of(oh, ow));
    }
}
