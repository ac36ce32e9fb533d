package org.sinter.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sinter.DType;

/**
 * The one-input-channel direct convolution agrees with im2col + GEMM over row widths around the
 * vector length (masked rows, whole vectors, an overlapping last vector), channel counts that leave
 * a partial block, padding (also only at the bottom/right), dilation, batches that are and are not cut
 * into bands of rows, and a fused ReLU; it reports every output exactly once and writes nothing
 * outside the output. The eager convolution dispatches one-channel layers to it.
 */
class OneChannelConvTest {
    private static final int L = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();

    private static float[] random(int n, Random r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** (n, h, w, k, kh, kw, padTop/Left, padBottom/Right, dilation); offsets into larger arrays. */
    private static void check(int n, int h, int w, int k, int kh, int kw, int p, int pEnd, int d, boolean bias, boolean relu) {
        int oh = ConvGeometry.outSize(h, p, pEnd, kh, 1, d), ow = ConvGeometry.outSize(w, p, pEnd, kw, 1, d);
        var g = new ConvGeometry(1, h, w, k, oh, ow, kh, kw, 1, 1, p, p, d, d, 1);
        assertTrue(OneChannelConv.applies(g), g.toString());
        Random r = new Random(h * 31L + k * 7L + kh + n);
        float[] x = random(5 + n * h * w, r), wt = random(3 + k * g.patch(), r), b = bias ? random(2 + k, r) : null;
        int plane = g.outPlane();
        float[] direct = new float[9 + n * k * plane + 11], reference = new float[direct.length];
        java.util.Arrays.fill(direct, 7f);
        System.arraycopy(direct, 0, reference, 0, direct.length);
        int[] seen = new int[n * k * plane];
        OneChannelConv.conv(g, n, x, 5, OneChannelConv.pack(g, wt, 3), b, 2, relu, direct, 9, (sample, k0, nk, p0, np) -> {
            synchronized (seen) {
                for (int kk = k0; kk < k0 + nk; kk++)
                    for (int pp = p0; pp < p0 + np; pp++) seen[(sample * k + kk) * plane + pp]++;
            }
        });
        ConvKernels.convIm2col(DType.FLOAT32, g, n, x, 5, wt, 3, b, 2, reference, 9);
        for (int i = 0; i < seen.length; i++) assertEquals(1, seen[i], g + ": output " + i + " reported " + seen[i] + " times");
        for (int i = 0; i < direct.length; i++) {
            boolean inside = i >= 9 && i < 9 + n * k * plane;
            float want = inside && relu ? Math.max(0f, reference[i]) : reference[i];
            double tol = inside ? 1e-5 * (1 + Math.abs(want)) * Math.sqrt(g.patch()) : 0;
            assertEquals(want, direct[i], tol, g + (inside ? " element " + (i - 9) : " wrote outside the output at " + i));
        }
    }

    @Test
    void matchesIm2colGemmAcrossRowWidths() {
        // The models' layers: LeNet-5's 1->6 5x5 pad 2, the Lab 1 CNN's 1->32 3x3.
        check(3, 28, 28, 6, 5, 5, 2, 2, 1, true, false);
        check(2, 28, 28, 32, 3, 3, 0, 0, 1, true, true);
        for (int ow : new int[] {1, L - 1, L, L + 1, 2 * L - 1, 2 * L + 3}) {
            check(2, ow + 2, ow + 2, 5, 3, 3, 0, 0, 1, true, false); // in place; masked, whole, overlapping last vector
            check(1, 7, ow, 3, 3, 3, 1, 1, 1, false, true);          // padded copy, batch of one cut into bands
        }
    }

    @Test
    void matchesIm2colGemmOnPaddingDilationAndChannelTails() {
        for (int k = 1; k <= 9; k++) check(2, 9, 2 * L + 1, k, 2, 3, 0, 0, 1, k % 2 == 0, k % 3 == 0);
        check(2, 13, L + 6, 7, 3, 3, 0, 2, 1, true, false);   // padding only at the bottom/right
        check(1, 12, L + 9, 4, 3, 2, 2, 2, 2, true, true);    // dilation 2 with padding
        check(2, 6, 3 * L, 2, 1, 1, 1, 1, 1, true, false);    // 1x1 with padding: a scaled, padded copy
        check(9, 5, L + 2, 33, 5, 5, 2, 2, 1, true, true);    // many channels, batch just over the band cut
        check(2, 40, 3, 6, 1, 2, 0, 1, 2, false, false);      // a row narrower than the dilated kernel, padded at the right
    }

    @Test
    void eagerConvolutionTakesItForOneInputChannel() {
        var g = new ConvGeometry(1, 28, 28, 6, 28, 28, 5, 5, 1, 1, 2, 2, 1, 1, 1);
        assertTrue(OneChannelConv.applies(g));
        Random r = new Random(5);
        float[] x = random(2 * 784, r), w = random(150, r), b = random(6, r);
        float[] eager = new float[2 * 6 * 784], reference = new float[eager.length], direct = new float[eager.length];
        ConvKernels.conv(DType.FLOAT32, g, 2, x, 0, w, 0, b, 0, eager, 0);
        OneChannelConv.conv(g, 2, x, 0, OneChannelConv.pack(g, w, 0), b, 0, false, direct, 0, null);
        ConvKernels.convIm2col(DType.FLOAT32, g, 2, x, 0, w, 0, b, 0, reference, 0);
        assertEquals(java.util.Arrays.toString(direct), java.util.Arrays.toString(eager), "eager conv takes the one-channel kernel");
        for (int i = 0; i < eager.length; i++) assertEquals(reference[i], eager[i], 1e-4 * (1 + Math.abs(reference[i])));
    }

    @Test
    void fallsBackOutsideItsGeometry() {
        assertFalse(OneChannelConv.applies(new ConvGeometry(1, 9, 9, 4, 4, 4, 3, 3, 2, 2, 0, 0, 1, 1, 1)), "stride 2");
        assertFalse(OneChannelConv.applies(new ConvGeometry(2, 9, 9, 4, 7, 7, 3, 3, 1, 1, 0, 0, 1, 1, 1)), "two channels");
        assertFalse(OneChannelConv.applies(new ConvGeometry(2, 9, 9, 2, 7, 7, 3, 3, 1, 1, 0, 0, 1, 1, 2)), "depthwise");
        var g = new ConvGeometry(1, 6, 6, 4, 4, 4, 3, 3, 1, 1, 0, 0, 1, 1, 1);
        var other = new ConvGeometry(1, 7, 7, 4, 5, 5, 3, 3, 1, 1, 0, 0, 1, 1, 1);
        var f = OneChannelConv.pack(other, new float[36], 0);
        var e = assertThrows(IllegalArgumentException.class, () -> OneChannelConv.conv(g, 1, new float[36], 0, f, null, 0, false, new float[64], 0, null));
        assertTrue(e.getMessage().contains("OneChannelConv"), e.getMessage());
    }
}
