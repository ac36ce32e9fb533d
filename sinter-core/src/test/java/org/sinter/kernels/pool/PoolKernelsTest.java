package org.sinter.kernels.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The branch-free 2x2 max-pool path agrees bit for bit with the general window loop. */
class PoolKernelsTest {
    /** Values drawn from a tiny set, so windows hold ties, NaNs, infinities and both zeros. */
    private static float[] awkward(int n, long seed) {
        float[] pool = {1f, 1f, 2f, -0f, 0f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -3f};
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = pool[r.nextInt(pool.length)];
        return x;
    }

    private static void check(int planes, int h, int w, int stride, long seed) {
        int oh = (h - 2) / stride + 1, ow = (w - 2) / stride + 1;
        var g = new PoolKernels.MaxGeometry(h, w, oh, ow, 2, 2, stride, stride, 0, 0, 1, 1);
        float[] x = awkward(planes * h * w + 3, seed);
        float[] fast = new float[planes * oh * ow], slow = new float[fast.length];
        long[] fastIdx = new long[fast.length], slowIdx = new long[fast.length];
        PoolKernels.maxPool(g, planes, x, 3, fast, fastIdx);
        for (int p = 0; p < planes; p++) PoolKernels.maxPoolPlane(g, x, 3 + p * h * w, slow, slowIdx, p * oh * ow);
        assertArrayEquals(slowIdx, fastIdx, "indices, " + h + "x" + w + " stride " + stride);
        for (int i = 0; i < fast.length; i++) {
            assertEquals(Float.floatToRawIntBits(slow[i]), Float.floatToRawIntBits(fast[i]), "value " + i);
        }
    }

    @Test
    void twoByTwoMatchesGeneralLoopOnTiesNansAndSignedZeros() {
        check(5, 8, 8, 2, 1);
        check(3, 9, 7, 2, 2);
        check(4, 6, 5, 1, 3);
        check(2, 11, 13, 3, 4);
    }
}
