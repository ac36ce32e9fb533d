package org.sinter.compress.quant.nn;

import java.util.Arrays;
import org.sinter.compress.quant.QTensor;
import org.sinter.kernels.Parallel;

/**
 * Max pooling directly on the quantized bytes: quantization is monotone, so the max of the
 * integers is the integer of the max, and the output keeps the input's qparams (as PyTorch's
 * quantized max_pool2d). Padding never wins (PyTorch pads max pooling with -inf).
 */
public final class QuantizedMaxPool2d implements QuantStage {
    private final int kh, kw, sh, sw, ph, pw, dh, dw;

    public QuantizedMaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        if (ceilMode) throw new IllegalArgumentException("QuantizedMaxPool2d: ceil_mode=True is not supported");
        kh = kernelSize[0];
        kw = second(kernelSize);
        sh = stride[0];
        sw = second(stride);
        ph = padding[0];
        pw = second(padding);
        dh = dilation[0];
        dw = second(dilation);
    }

    /** A one-value option applies to both dimensions, as in PyTorch. */
    private static int second(int[] v) {
        return v.length > 1 ? v[1] : v[0];
    }

    @Override
    public QTensor forward(QTensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException("QuantizedMaxPool2d: input must be [N, C, H, W], got " + Arrays.toString(x.shape()));
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1, ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        if (oh < 1 || ow < 1) throw new IllegalArgumentException("QuantizedMaxPool2d: input " + h + "x" + w + " is smaller than the " + kh + "x" + kw + " window");
        byte[] in = x.data(), out = new byte[n * c * oh * ow];
        boolean unsigned = x.qparams().dtype().min() == 0;
        // Planes are independent; a pass over bytes is cheap, so only large batches are split.
        Parallel.forRange(n * c, Math.max(1, (1 << 16) / (h * w)), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                if (unsigned && tiles()) tiledPlane(in, plane * h * w, w, oh, ow, out, plane * oh * ow);
                else plane(in, plane * h * w, h, w, oh, ow, unsigned, out, plane * oh * ow);
            }
        });
        return new QTensor(out, new int[] {n, c, oh, ow}, x.qparams());
    }

    /** Whether the windows tile the plane: no padding, no dilation, stride = kernel (the usual 2x2 / 2). */
    private boolean tiles() {
        return ph == 0 && pw == 0 && dh == 1 && dw == 1 && sh == kh && sw == kw;
    }

    /** One plane of unsigned bytes whose windows tile it: every window lies inside, no bounds to test. */
    private void tiledPlane(byte[] in, int ib, int w, int oh, int ow, byte[] out, int ob) {
        if (kh == 2 && kw == 2) { // the common window, unrolled: the loops over 2 taps cost more than the maxima
            for (int y = 0; y < oh; y++) {
                int r0 = ib + 2 * y * w, r1 = r0 + w, o = ob + y * ow;
                for (int xo = 0; xo < ow; xo++) {
                    int a = Math.max(in[r0 + 2 * xo] & 0xFF, in[r0 + 2 * xo + 1] & 0xFF);
                    int b = Math.max(in[r1 + 2 * xo] & 0xFF, in[r1 + 2 * xo + 1] & 0xFF);
                    out[o + xo] = (byte) Math.max(a, b);
                }
            }
            return;
        }
        for (int y = 0; y < oh; y++) {
            int row = ib + y * kh * w, o = ob + y * ow;
            for (int xo = 0; xo < ow; xo++) {
                int at = row + xo * kw, best = 0;
                for (int i = 0; i < kh; i++, at += w) {
                    for (int j = 0; j < kw; j++) best = Math.max(best, in[at + j] & 0xFF);
                }
                out[o + xo] = (byte) best;
            }
        }
    }

    /** One plane, any window: padding never wins. */
    private void plane(byte[] in, int ib, int h, int w, int oh, int ow, boolean unsigned, byte[] out, int ob) {
        for (int y = 0; y < oh; y++) {
            for (int xo = 0; xo < ow; xo++) {
                int best = Integer.MIN_VALUE;
                for (int i = 0; i < kh; i++) {
                    int iy = y * sh - ph + i * dh;
                    if (iy < 0 || iy >= h) continue;
                    for (int j = 0; j < kw; j++) {
                        int ix = xo * sw - pw + j * dw;
                        if (ix < 0 || ix >= w) continue;
                        int v = unsigned ? in[ib + iy * w + ix] & 0xFF : in[ib + iy * w + ix];
                        if (v > best) best = v;
                    }
                }
                out[ob + y * ow + xo] = (byte) best;
            }
        }
    }

    /** Kernel, stride, padding and dilation as {height, width} pairs, for exporters. */
    public int[][] window() {
        return new int[][] {{kh, kw}, {sh, sw}, {ph, pw}, {dh, dw}};
    }

    @Override
    public String describe() {
        return "QuantizedMaxPool2d(kernel_size=(" + kh + ", " + kw + "), stride=(" + sh + ", " + sw + "), padding=(" + ph + ", " + pw + "))";
    }
}
