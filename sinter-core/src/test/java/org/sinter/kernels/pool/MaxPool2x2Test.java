package org.sinter.kernels.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sinter.kernels.pool.PoolKernels.MaxGeometry;

/**
 * The vectorized 2x2 stride-2 max pool gives the general window loop's values bit for bit and its
 * argmax indices, on inputs full of ties, NaNs, infinities and both zeros: rows of whole steps,
 * rows with an overlapping last step, odd heights and widths (the last input row or column unread),
 * several planes, and offsets into larger arrays; rows shorter than a step down to
 * {@link MaxPool2x2#MIN_OUTPUTS} (vectors reading past the row; window by window at the array's
 * end, the last rows here); shorter rows are left to the scalar kernels.
 */
class MaxPool2x2Test {
    private static float[] awkward(int n, long seed) {
        float[] pool = {1f, 1f, 2f, -0f, 0f, -0f, 0f, Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -3f};
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextInt(3) == 0 ? (float) r.nextGaussian() : pool[r.nextInt(pool.length)];
        return x;
    }

    @ParameterizedTest
    @CsvSource({"1,2,2", "3,4,6", "2,10,10", "5,28,28", "4,27,27", "2,7,33", "3,9,31", "2,6,34", "2,5,64", "1,26,26", "6,24,24", "2,3,67",
        "3,8,8", "2,14,14", "4,12,12", "2,11,13", "1,10,9", "16,10,10", "3,5,5", "2,2,31", "1,4,8", "1,4,10", "1,2,14"})
    void sameValuesAndIndicesAsTheGeneralLoop(int planes, int h, int w) {
        int oh = h / 2, ow = w / 2;
        var g = new MaxGeometry(h, w, oh, ow, 2, 2, 2, 2, 0, 0, 1, 1);
        float[] x = awkward(5 + planes * h * w, h * 131L + w);
        float[] expected = new float[planes * oh * ow];
        long[] expectedIdx = new long[expected.length];
        for (int p = 0; p < planes; p++) PoolKernels.maxPoolPlane(g, x, 5 + p * h * w, expected, expectedIdx, p * oh * ow);
        float[] indexed = new float[expected.length], values = new float[3 + expected.length + 4];
        long[] idx = new long[expected.length];
        java.util.Arrays.fill(values, 42f);
        // Through the dispatchers: rows of MIN_OUTPUTS or more take MaxPool2x2, shorter ones the scalar kernels.
        assertEquals(ow >= MaxPool2x2.MIN_OUTPUTS, MaxPool2x2.applies(g), h + "x" + w);
        PoolKernels.maxPool(g, planes, x, 5, indexed, idx);
        MaxPoolValues.maxPool(g, planes, x, 5, values, 3);
        for (int i = 0; i < expected.length; i++) {
            String at = h + "x" + w + ", output " + i;
            assertEquals(expectedIdx[i], idx[i], at + ": index");
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(indexed[i]), at + ": value " + expected[i] + " vs " + indexed[i]);
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(values[3 + i]), at + ": values-only " + values[3 + i]);
        }
        for (int i = 0; i < 3; i++) assertEquals(42f, values[i], "written before the output offset");
        for (int i = 3 + expected.length; i < values.length; i++) assertEquals(42f, values[i], "written past the output");
    }

    @ParameterizedTest
    @CsvSource({"2,2,1,0", "3,3,2,1", "2,2,2,1"})
    void refusesOtherWindows(int k, int stride, int pad, int dil) {
        var g = new MaxGeometry(8, 8, 3, 3, k, k, stride, stride, pad, pad, dil, dil);
        assertFalse(MaxPool2x2.applies(g));
        var e = assertThrows(IllegalArgumentException.class, () -> MaxPool2x2.maxPool(g, 1, new float[64], 0, new float[9], 0, null));
        assertEquals(true, e.getMessage().contains("MaxPool2x2"), e.getMessage());
    }
}
