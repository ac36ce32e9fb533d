package org.sinter.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sinter.DType;

/**
 * Winograd convolution against a float64 direct reference and against im2col + GEMM, over
 * paddings 0/1/2 (also only at the bottom/right), odd plane sizes (partial edge tiles), channel
 * counts that are not multiples of a vector, batches of one and more, both tile sizes, with and
 * without bias and ReLU; each output block is reported exactly once.
 *
 * <p>The error bound: relative to the sum of |w|·|x| over an output's receptive field (the scale a
 * float32 dot product's rounding error grows with), F(2x2) stays below 1e-6 and F(4x4) below 1e-5
 * (measured maxima are printed in docs/benchmarks.md); im2col + GEMM itself is within 1e-6.
 */
class WinogradConvTest {
    private static float[] random(int n, Random r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** Max over outputs of |got - exact| / (Σ|w||x| over the receptive field + |bias|), in float64. */
    static double relativeError(ConvGeometry g, int n, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                                boolean relu, float[] got, int yOff) {
        double worst = 0;
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < g.k(); k++) {
                for (int oy = 0; oy < g.oh(); oy++) {
                    for (int ox = 0; ox < g.ow(); ox++) {
                        double exact = b == null ? 0 : b[bOff + k], scale = b == null ? 0 : Math.abs(b[bOff + k]);
                        for (int c = 0; c < g.c(); c++) {
                            for (int i = 0; i < 3; i++) {
                                int iy = oy + i - g.ph();
                                if (iy < 0 || iy >= g.h()) continue;
                                for (int j = 0; j < 3; j++) {
                                    int ix = ox + j - g.pw();
                                    if (ix < 0 || ix >= g.w()) continue;
                                    double p = (double) w[wOff + ((k * g.c() + c) * 3 + i) * 3 + j] * x[xOff + ((s * g.c() + c) * g.h() + iy) * g.w() + ix];
                                    exact += p;
                                    scale += Math.abs(p);
                                }
                            }
                        }
                        if (relu) exact = Math.max(0, exact);
                        double err = Math.abs(got[yOff + ((s * g.k() + k) * g.oh() + oy) * g.ow() + ox] - exact);
                        worst = Math.max(worst, err / Math.max(scale, 1e-30));
                    }
                }
            }
        }
        return worst;
    }

    private static ConvGeometry geometry(int c, int h, int w, int k, int p, int pEnd) {
        int oh = ConvGeometry.outSize(h, p, pEnd, 3, 1, 1), ow = ConvGeometry.outSize(w, p, pEnd, 3, 1, 1);
        return new ConvGeometry(c, h, w, k, oh, ow, 3, 3, 1, 1, p, p, 1, 1, 1);
    }

    /** Runs one geometry with tile side m; returns the max relative error against float64. */
    private static double check(int n, int c, int h, int w, int k, int p, int pEnd, int m, boolean bias, boolean relu) {
        return check(n, c, h, w, k, p, pEnd, m, bias, relu, 0);
    }

    /** As above in chunks of {@code rows} tile rows (0: the default). */
    private static double check(int n, int c, int h, int w, int k, int p, int pEnd, int m, boolean bias, boolean relu, int rows) {
        ConvGeometry g = geometry(c, h, w, k, p, pEnd);
        assertTrue(WinogradConv.applies(g), g.toString());
        Random r = new Random(c * 31L + k * 7L + h + m);
        float[] x = random(5 + n * c * h * w, r), wt = random(3 + k * g.patch(), r), b = bias ? random(2 + k, r) : null;
        int plane = g.outPlane();
        float[] out = new float[9 + n * k * plane], reference = new float[out.length];
        java.util.Arrays.fill(out, 7f); // overwritten, never accumulated into
        int[] seen = new int[n * k * plane];
        WinogradConv.conv(g, n, x, 5, WinogradConv.pack(g, wt, 3, m), b, 2, relu, out, 9, (sample, k0, nk, p0, np) -> {
            synchronized (seen) {
                for (int kk = k0; kk < k0 + nk; kk++)
                    for (int pp = p0; pp < p0 + np; pp++) seen[(sample * k + kk) * plane + pp]++;
            }
        }, rows);
        for (int i = 0; i < seen.length; i++) assertEquals(1, seen[i], g + ": output " + i + " reported " + seen[i] + " times");
        for (int i = 0; i < 9; i++) assertEquals(7f, out[i], "written before the output offset");
        ConvKernels.convIm2col(DType.FLOAT32, g, n, x, 5, wt, 3, b, 2, reference, 9);
        if (relu) for (int i = 9; i < reference.length; i++) reference[i] = Math.max(0f, reference[i]);
        double err = relativeError(g, n, x, 5, wt, 3, b, 2, relu, out, 9);
        double bound = m == 2 ? 1e-6 : 1e-5;
        assertTrue(err < bound, g + " F(" + m + "x" + m + ",3x3): relative error " + err + " over " + bound);
        assertTrue(relativeError(g, n, x, 5, wt, 3, b, 2, relu, reference, 9) < 1e-6, "the im2col reference itself");
        return err;
    }

    @Test
    void matchesFloat64ReferenceOverGeometries() {
        int l = PackedConv.L;
        for (int m : new int[] {2, 4}) {
            check(1, 8, 12, 12, 2 * l, 1, 1, m, true, false);      // ResNet-style, whole tiles
            check(2, 5, 11, 9, 3 * l + 5, 1, 1, m, true, true);     // odd sizes: partial edge tiles; ReLU
            check(3, 7, 13, 13, l + 1, 0, 0, m, false, false);    // unpadded, no bias, 11x11 output
            check(2, 3, 10, 7, 5, 2, 2, m, true, false);           // padding 2: output bigger than the input
            check(1, 17, 9, 10, 19, 0, 1, m, true, false);        // padding only at the bottom/right
            check(1, 33, 3, 3, 9, 1, 1, m, true, true);            // a one-tile plane
            check(4, 32, 26, 26, 64, 0, 0, m, true, false);        // the Lab 1 CNN's conv2, batch 4: several chunks
        }
        check(1, 64, 56, 56, 64, 1, 1, 4, true, false);            // ResNet-18's first stage
        check(1, 256, 7, 7, 40, 1, 1, 2, true, false);             // a deep, small plane
    }

    @Test
    void tileStoresAndSharedChunksMatchTheReference() {
        check(2, 32, 26, 26, 64, 0, 0, 4, true, true);     // whole tiles, groups across tile rows, ReLU
        check(1, 24, 20, 19, 30, 1, 1, 4, true, false);    // F(4x4) edge tiles
        check(1, 48, 14, 14, 40, 1, 1, 2, true, true);     // F(2x2) whole tiles, a chunk shared by the threads
        check(1, 40, 7, 7, 13, 1, 1, 2, false, false);     // F(2x2) edge tiles, output channels off the register tile
    }

    @Test
    void chunksSizedForFilterReuseMatchTheReference() {
        // 16·160·160 transformed weights exceed a chunk's L2 budget: chunks of >= 64 tiles.
        ConvGeometry big = geometry(160, 14, 14, 160, 1, 1);
        assertTrue(WinogradConv.chunkRows(big, 2) * 7 >= WinogradConv.FILTER_REUSE_TILES, "rows " + WinogradConv.chunkRows(big, 2));
        check(3, 160, 14, 14, 160, 1, 1, 2, true, true);
        // F(4x4) on a 7² plane (edge tiles in every tile) over a batch, as the compiler runs it at batch 16.
        check(16, 48, 7, 7, 20, 1, 1, 4, true, false);
        // Chunks that end inside a sample and others that span two, both tile sizes.
        check(3, 24, 14, 14, 30, 1, 1, 2, true, false, 5);
        check(3, 24, 14, 14, 30, 1, 1, 4, false, true, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> check(1, 4, 8, 8, 4, 1, 1, 2, false, false, -1));
        assertTrue(e.getMessage().contains("tile rows per chunk"), e.getMessage());
    }

    @Test
    void choosesTileSizeAndRejectsOtherGeometries() {
        assertEquals(4, WinogradConv.tileSize(geometry(64, 56, 56, 64, 1, 1)));
        assertEquals(2, WinogradConv.tileSize(geometry(512, 7, 7, 512, 1, 1)));
        assertEquals(4, WinogradConv.tileSize(geometry(256, 14, 14, 256, 1, 1), 1));
        assertEquals(2, WinogradConv.tileSize(geometry(512, 7, 7, 512, 1, 1), 3));
        assertEquals(4, WinogradConv.tileSize(geometry(512, 7, 7, 512, 1, 1), 4));
        // A call of a few tiles stays on the direct kernel (ResNet-18 on 28² inputs: layer4's 1² and layer3's 2² planes
        // at batch 1); the same planes batched have tiles enough.
        assertFalse(WinogradConv.preferred(geometry(512, 1, 1, 512, 1, 1), 1, true));
        assertFalse(WinogradConv.preferred(geometry(256, 2, 2, 256, 1, 1), 1, true));
        assertTrue(WinogradConv.preferred(geometry(512, 1, 1, 512, 1, 1), 32, true));
        assertTrue(WinogradConv.preferred(geometry(128, 28, 28, 128, 1, 1), 1, true));
        var strided = new ConvGeometry(8, 9, 9, 8, 4, 4, 3, 3, 2, 2, 0, 0, 1, 1, 1);
        assertFalse(WinogradConv.applies(strided));
        var e = assertThrows(IllegalArgumentException.class, () -> WinogradConv.pack(strided, 1, new float[8 * 8 * 9], 0));
        assertTrue(e.getMessage().contains("stride-1"), e.getMessage());
        ConvGeometry g = geometry(4, 8, 8, 4, 1, 1);
        var f = WinogradConv.pack(g, new float[4 * 4 * 9], 0, 2);
        var other = geometry(4, 9, 9, 4, 1, 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> WinogradConv.conv(other, 1, new float[4 * 81], 0, f, null, 0, false, new float[4 * 81], 0, null));
        assertTrue(e.getMessage().contains("transformed for"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WinogradConv.pack(g, new float[4 * 4 * 9], 0, 3));
        assertTrue(e.getMessage().contains("2 or 4"), e.getMessage());
    }
}
