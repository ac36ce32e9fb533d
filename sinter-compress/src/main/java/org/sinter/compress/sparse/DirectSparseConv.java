package org.sinter.compress.sparse;

import org.sinter.kernels.Parallel;

/**
 * Sparse convolution without im2col, for stride 1 and dilation 1 (Park et al., "Faster CNNs with
 * Direct Sparse Convolutions", 2017): output plane row {@code oh} of channel {@code oc} is the sum,
 * over the nonzero weights {@code (c, i, j)}, of {@code w · x[c, oh + i, j .. j + outW)}. Computing
 * "wide" output rows as long as the (padded) input's rows makes each nonzero's window one
 * contiguous run of the input, starting at {@code c·Hp·Wp + i·Wp + j}, so the CSR kernel streams
 * the image itself (kept in cache) instead of a kh·kw times larger im2col matrix; the last
 * {@code kw - 1} columns of each wide row are dropped.
 */
final class DirectSparseConv {
    private final CsrMatrix weight;
    private final int outC, inC, kh, kw;

    DirectSparseConv(CsrMatrix weight, int outC, int inC, int kh, int kw) {
        this.weight = weight;
        this.outC = outC;
        this.inC = inC;
        this.kh = kh;
        this.kw = kw;
    }

    /** {@code y (n, outC, outH, outW) = conv(x (n, inC, h, w))} with zero padding (ph, pw). */
    void run(float[] x, int xOff, int n, int h, int w, int ph, int pw, float[] bias, float[] y) {
        int hp = h + 2 * ph, wp = w + 2 * pw;
        int outH = hp - kh + 1, outW = wp - kw + 1;
        int wide = outH * wp;
        int[] rowStart = new int[weight.colIdx.length];
        for (int p = 0; p < rowStart.length; p++) {
            int k = weight.colIdx[p];
            int c = k / (kh * kw), i = (k / kw) % kh, j = k % kw;
            rowStart[p] = (c * hp + i) * wp + j;
        }
        // The last window of the last channel runs kw - 1 values past the padded image.
        int imageLen = inC * hp * wp + kw;
        Parallel.forRange(n, 1, (i0, i1) -> {
            float[] image = new float[imageLen];
            float[] out = new float[outC * wide];
            for (int img = i0; img < i1; img++) {
                pad(x, xOff + img * inC * h * w, h, w, ph, pw, hp, wp, image);
                int yImg = img * outC * outH * outW;
                if (i1 - i0 == n && n == 1) {
                    // One image: split the output channels over the pool instead.
                    long work = Math.max(1, (long) weight.storedValues() * wide / Math.max(1, outC));
                    int grain = (int) Math.max(1, SparseChecks.PARALLEL_GRAIN_FMAS / work);
                    Parallel.forRange(outC, grain, (r0, r1) -> weight.multiplyOffsets(rowStart, image, 0, wide, out, 0, bias, r0, r1));
                } else {
                    weight.multiplyOffsets(rowStart, image, 0, wide, out, 0, bias, 0, outC);
                }
                for (int oc = 0; oc < outC; oc++) {
                    for (int oh = 0; oh < outH; oh++) System.arraycopy(out, oc * wide + oh * wp, y, yImg + (oc * outH + oh) * outW, outW);
                }
            }
        });
    }

    private void pad(float[] x, int off, int h, int w, int ph, int pw, int hp, int wp, float[] image) {
        if (ph == 0 && pw == 0) {
            System.arraycopy(x, off, image, 0, inC * h * w);
            return;
        }
        for (int c = 0; c < inC; c++) {
            for (int r = 0; r < h; r++) System.arraycopy(x, off + (c * h + r) * w, image, (c * hp + r + ph) * wp + pw, w);
        }
    }
}
