package org.sinter.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused gradients of activations over contiguous runs: one pass instead of a comparison, a cast
 * and a multiply. {@code reluBackward}: out = y > 0 ? g : 0 (y is the ReLU output or input).
 */
public final class ActivationBackwardKernels {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

    private ActivationBackwardKernels() {}

    public static void reluBackwardF32(float[] g, int gOff, float[] y, int yOff, float[] out, int oOff, int n) {
        Parallel.forStream(n, (s, e) -> reluF32(g, gOff + s, y, yOff + s, out, oOff + s, e - s));
    }

    private static void reluF32(float[] g, int gOff, float[] y, int yOff, float[] out, int oOff, int n) {
        int i = 0;
        FloatVector zero = FloatVector.zero(FS);
        for (int up = FS.loopBound(n); i < up; i += FS.length()) {
            FloatVector vy = FloatVector.fromArray(FS, y, yOff + i);
            FloatVector vg = FloatVector.fromArray(FS, g, gOff + i);
            zero.blend(vg, vy.compare(VectorOperators.GT, 0f)).intoArray(out, oOff + i);
        }
        for (; i < n; i++) out[oOff + i] = y[yOff + i] > 0 ? g[gOff + i] : 0f;
    }

    public static void reluBackwardF64(double[] g, int gOff, double[] y, int yOff, double[] out, int oOff, int n) {
        int i = 0;
        DoubleVector zero = DoubleVector.zero(DS);
        for (int up = DS.loopBound(n); i < up; i += DS.length()) {
            DoubleVector vy = DoubleVector.fromArray(DS, y, yOff + i);
            DoubleVector vg = DoubleVector.fromArray(DS, g, gOff + i);
            zero.blend(vg, vy.compare(VectorOperators.GT, 0.0)).intoArray(out, oOff + i);
        }
        for (; i < n; i++) out[oOff + i] = y[yOff + i] > 0 ? g[gOff + i] : 0.0;
    }
}
