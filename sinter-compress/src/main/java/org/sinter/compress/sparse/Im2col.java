package org.sinter.compress.sparse;

/**
 * Unfolds one image ({@code C x H x W}) into the {@code (C·kh·kw) x (outH·outW)} matrix whose
 * product with the {@code outC x (C·kh·kw)} weight is the convolution (zero padding, any stride and
 * dilation). Row order matches PyTorch's weight layout {@code (outC, C, kh, kw)}.
 */
final class Im2col {
    private Im2col() {}

    static void unfold(float[] x, int xOff, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
                       int outH, int outW, float[] cols) {
        int plane = outH * outW;
        for (int ch = 0; ch < c; ch++) {
            int xc = xOff + ch * h * w;
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = ((ch * kh + i) * kw + j) * plane;
                    for (int oh = 0; oh < outH; oh++) {
                        int ih = oh * sh - ph + i * dh;
                        int at = row + oh * outW;
                        if (ih < 0 || ih >= h) {
                            java.util.Arrays.fill(cols, at, at + outW, 0f);
                            continue;
                        }
                        int xr = xc + ih * w;
                        int iw0 = j * dw - pw;
                        if (sw == 1 && iw0 >= 0 && iw0 + outW <= w) {
                            System.arraycopy(x, xr + iw0, cols, at, outW);
                            continue;
                        }
                        for (int ow = 0; ow < outW; ow++) {
                            int iw = ow * sw + iw0;
                            cols[at + ow] = iw >= 0 && iw < w ? x[xr + iw] : 0f;
                        }
                    }
                }
            }
        }
    }
}
