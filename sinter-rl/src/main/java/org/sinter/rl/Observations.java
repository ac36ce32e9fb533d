package org.sinter.rl;

import java.util.List;
import org.sinter.Tensor;

/**
 * Observations (Gymnasium's float64 arrays, kept as {@code double[]}) as the float32 tensors the
 * networks take, and network outputs back as Java arrays: the conversions every algorithm's
 * acting code needs.
 */
public final class Observations {
    private Observations() {}

    /** One observation as a (1, size) float tensor. */
    public static Tensor row(double[] observation, int size) {
        return batch(List.of(observation), size);
    }

    /** Observations as a (n, size) float tensor, one row each. */
    public static Tensor batch(List<double[]> observations, int size) {
        float[] data = new float[observations.size() * size];
        for (int i = 0; i < observations.size(); i++) put(data, i, observations.get(i), size);
        return Tensor.of(data, observations.size(), size);
    }

    /** Writes {@code observation} as float32 into row {@code index} of a flat (rows, size) array. */
    public static void put(float[] rows, int index, double[] observation, int size) {
        for (int d = 0; d < size; d++) rows[index * size + d] = (float) observation[d];
    }

    /** The first row of a (1, n) tensor, widened to doubles. */
    public static double[] firstRow(Tensor t) {
        float[] f = t.toFloatArray();
        double[] a = new double[f.length];
        for (int i = 0; i < a.length; i++) a[i] = f[i];
        return a;
    }
}
