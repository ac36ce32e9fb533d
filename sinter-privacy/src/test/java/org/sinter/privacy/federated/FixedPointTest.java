package org.sinter.privacy.federated;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FixedPointTest {
    @Test
    void weightedMeanWithinHalfAUnitAndOrderFree() {
        var fp = new FixedPoint(FixedPoint.DEFAULT_SCALE, 10);
        var r = new Random(1);
        int d = 1000;
        float[][] deltas = new float[10][d];
        double[] w = new double[10];
        for (int k = 0; k < 10; k++) {
            w[k] = 0.2 + 3 * r.nextDouble();
            for (int i = 0; i < d; i++) deltas[k][i] = (float) (r.nextGaussian() * 0.05);
        }
        int[] forward = new int[d + 1], backward = new int[d + 1];
        for (int k = 0; k < 10; k++) FixedPoint.addInto(forward, fp.encode(deltas[k], w[k]));
        for (int k = 9; k >= 0; k--) FixedPoint.addInto(backward, fp.encode(deltas[k], w[k]));
        assertArrayEquals(forward, backward);
        float[] mean = fp.decodeMean(forward);
        double wsum = 0;
        for (double x : w) wsum += x;
        for (int i = 0; i < d; i++) {
            double exact = 0;
            for (int k = 0; k < 10; k++) exact += w[k] * deltas[k][i];
            exact /= wsum;
            // each summand rounds by <= 1/2 unit, the weight sum too: a few units over Σw
            assertEquals(exact, mean[i], 6.0 / FixedPoint.DEFAULT_SCALE / wsum * 10 + 1e-7, "coordinate " + i);
        }
    }

    @Test
    void clampingKeepsTheSumFromWrapping() {
        var fp = new FixedPoint(FixedPoint.DEFAULT_SCALE, 4);
        float[] huge = {1e6f, -1e6f};
        int[] sum = new int[3];
        for (int k = 0; k < 4; k++) FixedPoint.addInto(sum, fp.encode(huge, 1.0));
        assertTrue(sum[0] > 0 && sum[1] < 0, "no wrap-around");
        assertEquals(fp.range(), fp.decodeMean(sum)[0], 1e-3);
    }

    @Test
    void badInputIsRefused() {
        var fp = new FixedPoint(FixedPoint.DEFAULT_SCALE, 10);
        assertThrows(IllegalArgumentException.class, () -> fp.encode(new float[] {Float.NaN}, 1));
        assertThrows(IllegalArgumentException.class, () -> fp.encode(new float[] {0}, -1));
        assertThrows(IllegalArgumentException.class, () -> fp.encode(new float[] {0}, 1e9));
        assertThrows(IllegalStateException.class, () -> fp.decodeMean(new int[] {5, 0}));
    }
}
