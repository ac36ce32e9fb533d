package org.sinter.kernels;

import static org.junit.jupiter.api.Assertions.*;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorExpTest {
    @Test
    void floatExpWithinTwoUlp() {
        var s = FloatVector.SPECIES_PREFERRED;
        float[] x = new float[s.length()], y = new float[s.length()];
        java.util.Random r = new java.util.Random(3);
        for (int it = 0; it < 20000; it++) {
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 200 - 100);
            Transcendentals.exp(FloatVector.fromArray(s, x, 0)).intoArray(y, 0);
            for (int i = 0; i < x.length; i++) {
                float want = (float) Math.exp(x[i]);
                if (want == 0 || Float.isInfinite(want)) { assertEquals(want, y[i], "exp(" + x[i] + ")"); continue; }
                assertTrue(Math.abs(y[i] - want) <= 2 * Math.ulp(want), "exp(" + x[i] + ") = " + y[i] + ", want " + want);
            }
        }
        float[] special = new float[s.length()];
        java.util.Arrays.fill(special, Float.NaN);
        special[0] = 0; special[1] = Float.NEGATIVE_INFINITY; special[2] = Float.POSITIVE_INFINITY; special[3] = -0f;
        Transcendentals.exp(FloatVector.fromArray(s, special, 0)).intoArray(y, 0);
        assertEquals(1f, y[0]);
        assertEquals(0f, y[1]);
        assertEquals(Float.POSITIVE_INFINITY, y[2]);
        assertEquals(1f, y[3]);
        assertTrue(Float.isNaN(y[4]));
    }

    @Test
    void doubleExpWithinFourUlp() {
        var s = DoubleVector.SPECIES_PREFERRED;
        double[] x = new double[s.length()], y = new double[s.length()];
        java.util.Random r = new java.util.Random(4);
        for (int it = 0; it < 20000; it++) {
            for (int i = 0; i < x.length; i++) x[i] = r.nextDouble() * 1400 - 700;
            Transcendentals.exp(DoubleVector.fromArray(s, x, 0)).intoArray(y, 0);
            for (int i = 0; i < x.length; i++) {
                double want = Math.exp(x[i]);
                assertTrue(Math.abs(y[i] - want) <= 4 * Math.ulp(want), "exp(" + x[i] + ") = " + y[i] + ", want " + want);
            }
        }
    }
}
