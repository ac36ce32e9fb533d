package org.sinter.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * float32 exact GELU ({@link Gelu}) against a float64 reference: absolutely within 5e-7 on [-14, 14]
 * and relatively within 2e-6 down to results of 1e-37, the negative tail included
 * (where {@code x/2·(1 + erf(x/√2))} cancels); the specials as PyTorch gives them.
 */
class GeluTest {
    private static final double SQRT_PI = Math.sqrt(Math.PI);

    /** x·Φ(x) in float64: from the series erf where 1 + erf does not cancel, from erfc's continued fraction below. */
    static double reference(double x) {
        double z = -x / Math.sqrt(2);
        if (z < 3) return 0.5 * x * (1 + Erf.erf(-z));
        double t = z; // erfc(z) = exp(-z²) / (√π · (z + (1/2)/(z + 1/(z + (3/2)/(z + …)))))
        for (int n = 80; n >= 1; n--) t = z + (n / 2.0) / t;
        return 0.5 * x * Math.exp(-z * z) / (SQRT_PI * t);
    }

    @Test
    void withinAFewUlpsOfFloat64OnTheWholeRange() {
        double worstAbs = 0, worstRel = 0;
        float atAbs = 0, atRel = 0;
        int n = 400_001;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) x[i] = -14f + 28f * i / (n - 1);
        Gelu.gelu(x, 0, y, 0, n, Erf.scratch());
        for (int i = 0; i < n; i++) {
            double want = reference(x[i]), err = Math.abs(y[i] - want);
            if (err > worstAbs) { worstAbs = err; atAbs = x[i]; }
            if (Math.abs(want) >= 1e-37) { // below, h itself is subnormal and then flushed (x < -13.08)
                double rel = err / Math.abs(want);
                if (rel > worstRel) { worstRel = rel; atRel = x[i]; }
            }
        }
        assertTrue(worstAbs <= 5e-7, "largest absolute error " + worstAbs + " at x=" + atAbs);
        assertTrue(worstRel <= 2e-6, "largest relative error " + worstRel + " at x=" + atRel);
    }

    @Test
    void specialsAsPyTorch() {
        assertTrue(Float.isNaN(Gelu.gelu(Float.NaN)));
        assertTrue(Float.isNaN(Gelu.gelu(Float.NEGATIVE_INFINITY)), "-inf · Φ(-inf) = -inf · 0");
        assertEquals(Float.POSITIVE_INFINITY, Gelu.gelu(Float.POSITIVE_INFINITY));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Gelu.gelu(-100f)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Gelu.gelu(-0f)));
        assertEquals(0f, Gelu.gelu(0f));
        assertEquals(100f, Gelu.gelu(100f));
        assertEquals(1e30f, Gelu.gelu(1e30f));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Gelu.gelu(-1e30f)));
    }
}
