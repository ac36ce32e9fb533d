package org.sinter.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sinter.DType;

/** The direct weight gradient agrees with im2col + GEMM over paddings, dilations, groups and edge tiles. */
class DirectWeightGradTest {
    private static float[] random(int n, Random r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** Geometry (c, h, w, k, kh, kw, ph, pw, dh, dw, groups), unit stride; offsets into larger arrays. */
    private static void check(int n, int c, int h, int w, int k, int kh, int kw, int ph, int pw, int dh, int dw, int groups) {
        int oh = ConvGeometry.outSize(h, ph, ph, kh, 1, dh), ow = ConvGeometry.outSize(w, pw, pw, kw, 1, dw);
        var g = new ConvGeometry(c, h, w, k, oh, ow, kh, kw, 1, 1, ph, pw, dh, dw, groups);
        assertTrue(DirectWeightGrad.applies(g), g.toString());
        Random r = new Random(c * 31L + k);
        float[] x = random(5 + n * c * h * w, r), gy = random(7 + n * k * oh * ow, r);
        float[] direct = new float[k * g.patch()], reference = new float[direct.length];
        DirectWeightGrad.weightGrad(g, n, x, 5, gy, 7, direct);
        ConvKernels.weightGradIm2col(DType.FLOAT32, g, n, x, 5, gy, 7, reference);
        for (int i = 0; i < direct.length; i++) {
            double tol = 1e-4 * (1 + Math.abs(reference[i])) * Math.sqrt(n * oh * ow);
            assertEquals(reference[i], direct[i], tol, g + " element " + i);
        }
    }

    @Test
    void matchesIm2colGemm() {
        check(3, 1, 28, 28, 6, 5, 5, 2, 2, 1, 1, 1);   // LeNet conv1 (padded, wide rows, masked tail)
        check(2, 6, 14, 14, 16, 5, 5, 0, 0, 1, 1, 1);  // LeNet conv2 (unpadded: reads x in place)
        check(2, 3, 9, 7, 5, 3, 2, 1, 0, 2, 1, 1);     // dilation, asymmetric kernel, edge tiles (5 rows, odd taps)
        check(2, 4, 6, 6, 6, 3, 3, 1, 1, 1, 1, 2);     // groups
        check(1, 2, 5, 5, 1, 1, 3, 0, 1, 1, 1, 1);     // one output channel, 1-row kernel
    }
}
