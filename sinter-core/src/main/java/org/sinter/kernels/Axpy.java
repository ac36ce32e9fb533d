package org.sinter.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** y += alpha * x over contiguous float32 runs (SIMD, parallel for long runs). */
public final class Axpy {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Axpy() {}

    public static void f32(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        Parallel.forStream(n, (s, e) -> f32Serial(alpha, x, xOff + s, y, yOff + s, e - s));
    }

    private static void f32Serial(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (int up = S.loopBound(n); i < up; i += S.length()) {
            FloatVector vx = FloatVector.fromArray(S, x, xOff + i);
            FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
            vx.fma(va, vy).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }
}
