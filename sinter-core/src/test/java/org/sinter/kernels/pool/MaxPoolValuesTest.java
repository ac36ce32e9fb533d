package org.sinter.kernels.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sinter.kernels.pool.PoolKernels.MaxGeometry;

/**
 * The values-only max pool gives the indexed kernel's values bit for bit, NaNs and signed zeros
 * included (planes with them take the window-by-window path), and planes without them (the
 * separable path: ties of equal values, -∞, a ReLU's many zeros) likewise.
 */
class MaxPoolValuesTest {
    @ParameterizedTest
    @CsvSource({"28,28,2,2,2,0,1", "9,7,2,2,1,0,1", "13,13,3,3,2,1,1", "12,10,3,2,1,1,2", "5,5,2,2,2,0,1", "112,112,3,3,2,1,1", "41,37,3,3,1,1,1", "40,35,3,2,2,1,2"})
    void sameValuesAsTheIndexedKernel(int h, int w, int kh, int kw, int stride, int pad, int dil) {
        check(h, w, kh, kw, stride, pad, dil, new float[] {0f, -0f, Float.NaN, Float.NEGATIVE_INFINITY, 1f});
    }

    @ParameterizedTest
    @CsvSource({"28,28,2,2,2,0,1", "9,7,2,2,1,0,1", "13,13,3,3,2,1,1", "12,10,3,2,1,1,2", "5,5,2,2,2,0,1", "112,112,3,3,2,1,1", "41,37,3,3,1,1,1",
        "40,35,3,2,2,1,2", "7,7,3,3,2,1,1", "20,33,5,3,3,2,1", "56,56,3,3,1,1,1", "30,30,3,3,2,1,1"})
    void planesWithoutSignedZerosOrNaNGiveTheSameValues(int h, int w, int kh, int kw, int stride, int pad, int dil) {
        check(h, w, kh, kw, stride, pad, dil, new float[] {0f, Float.NEGATIVE_INFINITY, 2.5f});
    }

    private static void check(int h, int w, int kh, int kw, int stride, int pad, int dil, float[] special) {
        int oh = (h + 2 * pad - dil * (kh - 1) - 1) / stride + 1, ow = (w + 2 * pad - dil * (kw - 1) - 1) / stride + 1;
        var g = new MaxGeometry(h, w, oh, ow, kh, kw, stride, stride, pad, pad, dil, dil);
        int planes = 7;
        Random r = new Random(h * 31 + w);
        float[] x = new float[3 + planes * h * w];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : r.nextInt(3) - 1f;
        float[] expected = new float[planes * oh * ow], actual = new float[2 + planes * oh * ow];
        PoolKernels.maxPool(g, planes, x, 3, expected, new long[expected.length]);
        MaxPoolValues.maxPool(g, planes, x, 3, actual, 2);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[2 + i]),
                    "output " + i + ": indexed " + expected[i] + ", values-only " + actual[2 + i]);
        }
    }
}
