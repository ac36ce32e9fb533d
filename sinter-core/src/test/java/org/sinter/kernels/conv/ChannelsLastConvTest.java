package org.sinter.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sinter.DType;

/**
 * The channels-last direct convolution agrees with im2col + GEMM over strides, paddings (also only at
 * the bottom/right), dilations, partial channel blocks and panels, partial pixel tiles and several
 * samples, and reports every output block exactly once. AVX-512 only: elsewhere the kernel does not
 * apply (checked too).
 */
class ChannelsLastConvTest {
    private static float[] random(int n, Random r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static void check(int n, int c, int h, int w, int k, int kh, int kw, int s, int p, int pEnd, int d, boolean bias) {
        int oh = ConvGeometry.outSize(h, p, pEnd, kh, s, d), ow = ConvGeometry.outSize(w, p, pEnd, kw, s, d);
        var g = new ConvGeometry(c, h, w, k, oh, ow, kh, kw, s, s, p, p, d, d, 1);
        assertTrue(ChannelsLastConv.applies(g), g.toString());
        Random r = new Random(c * 31L + k * 7L + kh + s);
        float[] x = random(5 + n * c * h * w, r), wt = random(3 + k * g.patch(), r), b = bias ? random(2 + k, r) : null;
        int plane = g.outPlane();
        float[] got = new float[9 + n * k * plane], reference = new float[got.length];
        int[] seen = new int[n * k * plane];
        ChannelsLastConv.conv(g, n, x, 5, ChannelsLastConv.pack(g, wt, 3), b, 2, got, 9, (sample, k0, nk, p0, np) -> {
            synchronized (seen) {
                for (int kk = k0; kk < k0 + nk; kk++)
                    for (int pp = p0; pp < p0 + np; pp++) seen[(sample * k + kk) * plane + pp]++;
            }
        });
        ConvKernels.convIm2col(DType.FLOAT32, g, n, x, 5, wt, 3, b, 2, reference, 9);
        for (int i = 0; i < seen.length; i++) assertEquals(1, seen[i], g + ": output " + i + " reported " + seen[i] + " times");
        for (int i = 0; i < 9; i++) assertEquals(0f, got[i], "written before the output offset");
        for (int i = 9; i < got.length; i++) {
            double tol = 1e-5 * (1 + Math.abs(reference[i])) * Math.sqrt(g.patch());
            assertEquals(reference[i], got[i], tol, g + " element " + (i - 9));
        }
    }

    @Test
    void matchesIm2colGemm() {
        var resnet = new ConvGeometry(512, 7, 7, 512, 7, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        assumeTrue(ChannelsLastConv.applies(resnet), "channels-last convolution runs on AVX-512 only");
        int wd = ChannelsLastConv.WIDTH, cb = ChannelsLastConv.CHANNEL_BLOCK;
        check(1, 64, 12, 12, wd, 3, 3, 1, 1, 1, 1, true);                // one panel, one channel block
        check(2, cb + 40, 9, 11, 2 * wd + 5, 3, 3, 1, 1, 1, 1, true);     // a partial block and a partial panel, two samples
        check(1, 40, 15, 13, wd, 3, 3, 2, 1, 1, 1, false);               // stride 2, odd sides, no bias
        check(2, 33, 10, 13, wd + 1, 3, 2, 1, 0, 2, 2, true);            // dilation 2, padding only at the bottom/right
        check(3, 32, 5, 5, wd, 2, 2, 1, 0, 0, 1, true);                  // unpadded, partial last tile
        check(1, 32, 40, 40, wd, 3, 3, 1, 1, 1, 1, true);                // several strips per plane
        check(1, 2 * cb, 7, 7, wd, 3, 3, 1, 1, 1, 1, true);               // two whole channel blocks (ResNet-18's 7x7 layers, narrower)
        check(1, 32, 9, 9, wd, 5, 5, 2, 2, 2, 1, true);                  // 5x5 stride 2
    }

    @Test
    void appliesToResNetsWideLayersOnly() {
        var resnet = new ConvGeometry(512, 7, 7, 512, 7, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        assumeTrue(ChannelsLastConv.applies(resnet), "channels-last convolution runs on AVX-512 only");
        assertFalse(ChannelsLastConv.applies(new ConvGeometry(3, 224, 224, 64, 112, 112, 7, 7, 2, 2, 3, 3, 1, 1, 1)), "the 3-channel stem");
        assertFalse(ChannelsLastConv.applies(new ConvGeometry(256, 14, 14, 512, 7, 7, 1, 1, 2, 2, 0, 0, 1, 1, 1)), "a 1x1 shortcut");
        assertFalse(ChannelsLastConv.applies(new ConvGeometry(64, 8, 8, 64, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 2)), "two groups");
        assertFalse(ChannelsLastConv.applies(new ConvGeometry(64, 8, 8, 32, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1)), "fewer output channels than a panel");
        var g = new ConvGeometry(64, 8, 8, 64, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        var other = new ConvGeometry(64, 8, 8, 64, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1);
        var f = ChannelsLastConv.pack(g, new float[64 * 64 * 9], 0);
        var e = assertThrows(IllegalArgumentException.class,
                () -> ChannelsLastConv.conv(other, 1, new float[64 * 64], 0, f, null, 0, new float[64 * 16], 0, null));
        assertTrue(e.getMessage().contains("packed for"), e.getMessage());
    }
}
