package org.sinter.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sinter.DType;

/**
 * The packed direct convolution agrees with im2col + GEMM over strides, paddings (also only at the
 * bottom/right), dilations, groups, partial channel blocks and partial pixel tiles, and reports
 * every output block exactly once. The cases run on one thread in turn, so later ones reuse the
 * padded-input buffer that earlier, larger ones filled.
 */
class PackedConvTest {
    private static float[] random(int n, Random r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** (c, h, w, k, kh, kw, stride, padTop/Left, padBottom/Right, dilation, groups); offsets into larger arrays. */
    private static void check(int n, int c, int h, int w, int k, int kh, int kw, int s, int p, int pEnd, int d, int groups, boolean bias) {
        int oh = ConvGeometry.outSize(h, p, pEnd, kh, s, d), ow = ConvGeometry.outSize(w, p, pEnd, kw, s, d);
        var g = new ConvGeometry(c, h, w, k, oh, ow, kh, kw, s, s, p, p, d, d, groups);
        assertTrue(PackedConv.applies(g), g.toString());
        Random r = new Random(c * 31L + k * 7L + kh);
        float[] x = random(5 + n * c * h * w, r), wt = random(3 + k * g.patch(), r), b = bias ? random(2 + k, r) : null;
        int plane = g.outPlane();
        float[] packed = new float[9 + n * k * plane], reference = new float[packed.length];
        int[] seen = new int[n * k * plane];
        PackedConv.conv(g, n, x, 5, PackedConv.pack(g, wt, 3), b, 2, packed, 9, (sample, k0, nk, p0, np) -> {
            synchronized (seen) {
                for (int kk = k0; kk < k0 + nk; kk++)
                    for (int pp = p0; pp < p0 + np; pp++) seen[(sample * k + kk) * plane + pp]++;
            }
        });
        ConvKernels.convIm2col(DType.FLOAT32, g, n, x, 5, wt, 3, b, 2, reference, 9);
        for (int i = 0; i < seen.length; i++) assertEquals(1, seen[i], g + ": output " + i + " reported " + seen[i] + " times");
        for (int i = 0; i < 9; i++) assertEquals(0f, packed[i], "written before the output offset");
        for (int i = 9; i < packed.length; i++) {
            double tol = 1e-4 * (1 + Math.abs(reference[i])) * Math.sqrt(g.patch());
            assertEquals(reference[i], packed[i], tol, g + " element " + (i - 9));
        }
    }

    @Test
    void matchesIm2colGemm() {
        int l = PackedConv.L;
        check(1, 8, 12, 12, 2 * l, 3, 3, 1, 1, 1, 1, 1, true);          // ResNet-style 3x3, one full panel on AVX2
        check(2, 5, 11, 9, 3 * l + 5, 3, 3, 2, 1, 1, 1, 1, true);       // stride 2, partial panels
        check(1, 3, 30, 30, l, 7, 7, 2, 3, 3, 1, 1, false);             // a stem: 7x7 stride 2 pad 3, no bias
        check(2, 4, 10, 13, l + 1, 3, 2, 1, 0, 2, 2, 1, true);          // dilation 2, padding only at the bottom/right
        check(2, 6, 8, 8, 2 * (l + 3), 3, 3, 1, 1, 1, 1, 2, true);       // groups, each with a partial panel
        check(3, 7, 5, 5, l, 2, 2, 1, 0, 0, 1, 1, true);                // unpadded: reads x in place, partial last tile
        check(1, 2, 40, 40, l, 3, 3, 1, 1, 1, 1, 1, true);              // several strips per plane
        check(2, 6, 14, 14, l, 5, 5, 1, 0, 0, 1, 1, true);              // one channel vector per group (LeNet-5's conv2 on AVX-512): the 1 x 12 tile
        check(2, 4, 9, 11, 2 * l, 3, 3, 1, 1, 1, 1, 2, false);           // two groups of one vector each, a partial last tile
    }

    /**
     * Horizontal stride 2 runs {@link StridedConv}'s tiles: channels in the inner loop (one or two
     * vectors per tile), kernel columns in it (few channels; the written-out 7-wide stem row), a 1x1
     * kernel reading x in place, partial channel panels, and planes that end in overlapping tiles.
     */
    @Test
    void stridedLayersMatchIm2colGemm() {
        int l = PackedConv.L;
        int[][] cases = {
                {2, 5, 19, 17, 3 * l + 5, 3, 3, 1, 1, 1},  // channels inner, two vectors on AVX-512 with a partial panel, odd width
                {1, 16, 14, 14, 2 * l, 1, 1, 0, 0, 1},     // a 1x1 shortcut: unpadded, 7x7 output (a row pair overlaps)
                {2, 2, 20, 23, l, 3, 3, 1, 1, 1},          // two channels: kernel columns inner
                {1, 3, 33, 31, 2 * l + 3, 7, 7, 3, 3, 1},  // a stem with bias and odd sizes: the written-out 7-wide row
                {1, 3, 29, 30, l, 7, 7, 3, 2, 0},          // a stem padded less at the bottom/right, no bias
        };
        for (int[] c : cases) {
            int oh = ConvGeometry.outSize(c[2], c[7], c[8], c[5], 2, 1), ow = ConvGeometry.outSize(c[3], c[7], c[8], c[6], 2, 1);
            // AVX-512 only; elsewhere the same cases check PackedConv's own tiles.
            assertEquals(StridedConv.L >= 16, StridedConv.applies(new ConvGeometry(c[1], c[2], c[3], c[4], oh, ow, c[5], c[6], 2, 2, c[7], c[7], 1, 1, 1)));
            check(c[0], c[1], c[2], c[3], c[4], c[5], c[6], 2, c[7], c[8], 1, 1, c[9] == 1);
        }
    }

    /** The transpose (input gradient) by the direct kernel against GEMM + col2im; (c, h, w, k, kh, kw, pad, dilation, groups). */
    private static void checkTranspose(int n, int c, int h, int w, int k, int kh, int kw, int p, int d, int groups) {
        int oh = ConvGeometry.outSize(h, p, p, kh, 1, d), ow = ConvGeometry.outSize(w, p, p, kw, 1, d);
        var g = new ConvGeometry(c, h, w, k, oh, ow, kh, kw, 1, 1, p, p, d, d, groups);
        ConvGeometry t = PackedConv.transposed(g);
        assertTrue(t != null, g.toString());
        Random r = new Random(c * 17L + k);
        float[] gy = random(4 + n * k * oh * ow, r), wt = random(6 + k * g.patch(), r), b = random(1 + c, r);
        float[] direct = new float[3 + n * c * h * w], reference = new float[direct.length];
        java.util.Arrays.fill(direct, 7f); // overwritten, not accumulated into
        PackedConv.conv(t, n, gy, 4, PackedConv.packTransposed(g, wt, 6), b, 1, direct, 3, null);
        ConvKernels.convTransposeIm2col(DType.FLOAT32, g, n, gy, 4, wt, 6, b, 1, reference, 3);
        for (int i = 3; i < direct.length; i++) {
            double tol = 1e-4 * (1 + Math.abs(reference[i])) * Math.sqrt(k * kh * kw);
            assertEquals(reference[i], direct[i], tol, g + " input-gradient element " + (i - 3));
        }
    }

    @Test
    void transposeMatchesGemmCol2im() {
        int l = PackedConv.L;
        checkTranspose(2, 2 * l, 9, 9, 12, 3, 3, 1, 1, 1);       // a "same" 3x3: the adjoint is a "same" 3x3
        checkTranspose(1, l + 5, 8, 11, 7, 3, 2, 0, 1, 1);       // unpadded, asymmetric kernel: the adjoint pads the full kernel
        checkTranspose(2, 2 * (l + 2), 10, 10, 6, 3, 3, 2, 2, 2); // dilation and groups
        assertEquals(null, PackedConv.transposed(new ConvGeometry(l, 8, 8, 4, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1)), "stride 2 has no direct transpose");
    }

    @Test
    void refusesAFilterPackedForAnotherGeometry() {
        int l = PackedConv.L;
        var g = new ConvGeometry(2, 6, 6, l, 4, 4, 3, 3, 1, 1, 0, 0, 1, 1, 1);
        var other = new ConvGeometry(2, 7, 7, l, 5, 5, 3, 3, 1, 1, 0, 0, 1, 1, 1);
        var f = PackedConv.pack(other, new float[l * 18], 0);
        var e = assertThrows(IllegalArgumentException.class, () -> PackedConv.conv(g, 1, new float[72], 0, f, null, 0, new float[16 * l], 0, null));
        assertTrue(e.getMessage().contains("PackedConv"), e.getMessage());
    }
}
