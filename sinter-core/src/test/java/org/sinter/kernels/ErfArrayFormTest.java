package org.sinter.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * erf and exact GELU over arrays (the multi-pass forms that eager kernels and generated kernels
 * call) give the bits of the one-vector forms, lane by lane, for every length and offset, in place
 * or not, including the specials.
 */
class ErfArrayFormTest {
    private static final float[] SPECIALS = {0f, -0f, 1f, -1f, 0.999f, 1.0001f, 3.999f, 4f, 4.5f, -4.5f, 1e-30f, -1e-30f, 30f, -30f, -13.08f, -13.1f, 1e30f, -1e30f,
            Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    @Test
    void arrayFormMatchesTheVectorFormBitForBit() {
        Random r = new Random(7);
        float[] scratch = Erf.scratch();
        for (int n : new int[] {1, 3, 15, 16, 17, 255, 256, 257, 700}) {
            for (int off : new int[] {0, 5}) {
                float[] x = new float[off + n];
                for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 3);
                for (int i = 0; i < Math.min(n, SPECIALS.length); i++) x[off + i] = SPECIALS[i];
                for (boolean gelu : new boolean[] {false, true}) {
                    float[] y = new float[n + 2];
                    if (gelu) Gelu.gelu(x, off, y, 1, n, scratch);
                    else Erf.erf(x, off, y, 1, n, scratch);
                    float[] inPlace = x.clone();
                    if (gelu) Gelu.gelu(inPlace, off, inPlace, off, n, scratch);
                    else Erf.erf(inPlace, off, inPlace, off, n, scratch);
                    for (int i = 0; i < n; i++) {
                        FloatVector v = FloatVector.broadcast(FloatVector.SPECIES_PREFERRED, x[off + i]);
                        float want = (gelu ? Gelu.gelu(v) : Erf.erf(v)).lane(0);
                        String at = (gelu ? "gelu" : "erf") + "(" + x[off + i] + "), n=" + n + " off=" + off;
                        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(y[1 + i]), at);
                        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(inPlace[off + i]), at + " in place");
                    }
                    assertEquals(0f, y[0]);
                    assertEquals(0f, y[n + 1]);
                }
            }
        }
    }
}
