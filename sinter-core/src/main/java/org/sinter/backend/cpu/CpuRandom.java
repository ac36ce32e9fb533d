package org.sinter.backend.cpu;

import org.sinter.Shape;
import java.util.random.RandomGenerator;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;

/**
 * Random fills on the CPU: one draw per element in row-major order from the generator's stream
 * (a strided target is filled through a dense buffer, so the values do not depend on the layout).
 * float32 draws single-precision numbers, other dtypes doubles, as the streams have always been.
 */
final class CpuRandom {
    private CpuRandom() {}

    private interface FloatDraw { float next(RandomGenerator rng); }

    private interface DoubleDraw { double next(RandomGenerator rng); }

    static void uniform(Tensor t, double from, double to, Generator gen) {
        float a = (float) from, w = (float) (to - from);
        fill(t, gen, rng -> a + w * rng.nextFloat(), rng -> from + (to - from) * rng.nextDouble());
    }

    static void normal(Tensor t, double mean, double std, Generator gen) {
        fill(t, gen, rng -> (float) (mean + std * rng.nextGaussian()), rng -> mean + std * rng.nextGaussian());
    }

    /** Integers in [low, high), one draw per element in row-major order (t is a fresh int64 tensor). */
    static void integers(Tensor t, long low, long high, Generator gen) {
        synchronized (gen) {
            RandomGenerator rng = gen.random();
            Tensor dense = t.isContiguous() ? t : Tensor.empty(t.dtype(), t.shape());
            long[] d = dense.storage().longs();
            int n = Shape.numel(dense), off = dense.storageOffset();
            for (int i = 0; i < n; i++) d[off + i] = rng.nextLong(low, high);
            if (dense != t) Copy.copyInto(t, dense);
        }
    }

    private static void fill(Tensor t, Generator gen, FloatDraw f32, DoubleDraw other) {
        synchronized (gen) {
            RandomGenerator rng = gen.random();
            Tensor dense = t.isContiguous() ? t : Tensor.empty(t.dtype(), t.shape());
            int n = Shape.numel(dense), off = dense.storageOffset();
            if (dense.dtype() == DType.FLOAT32) {
                float[] d = dense.storage().floats();
                for (int i = 0; i < n; i++) d[off + i] = f32.next(rng);
            } else {
                for (int i = 0; i < n; i++) dense.storage().setDouble(off + i, other.next(rng));
            }
            if (dense != t) Copy.copyInto(t, dense);
        }
    }
}
