package org.sinter.backend.cpu;

import java.util.random.RandomGenerator;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;

/**
 * Random fills on the CPU: one draw per element in row-major order from the generator's stream
 * (a strided target is filled through a dense buffer, so the values do not depend on the layout).
 */
final class CpuRandom {
    private CpuRandom() {}

    static void uniform(Tensor t, double from, double to, Generator gen) {
        synchronized (gen) {
            RandomGenerator rng = gen.random();
            Tensor dense = t.isContiguous() ? t : Tensor.empty(t.dtype(), t.shape());
            int n = dense.numel(), off = dense.storageOffset();
            if (dense.dtype() == DType.FLOAT32) {
                float[] d = dense.storage().floats();
                float a = (float) from, w = (float) (to - from);
                for (int i = 0; i < n; i++) d[off + i] = a + w * rng.nextFloat();
            } else {
                for (int i = 0; i < n; i++) dense.storage().setDouble(off + i, from + (to - from) * rng.nextDouble());
            }
            if (dense != t) Copy.copyInto(t, dense);
        }
    }

    static void normal(Tensor t, double mean, double std, Generator gen) {
        synchronized (gen) {
            RandomGenerator rng = gen.random();
            Tensor dense = t.isContiguous() ? t : Tensor.empty(t.dtype(), t.shape());
            int n = dense.numel(), off = dense.storageOffset();
            if (dense.dtype() == DType.FLOAT32) {
                float[] d = dense.storage().floats();
                for (int i = 0; i < n; i++) d[off + i] = (float) (mean + std * rng.nextGaussian());
            } else {
                for (int i = 0; i < n; i++) dense.storage().setDouble(off + i, mean + std * rng.nextGaussian());
            }
            if (dense != t) Copy.copyInto(t, dense);
        }
    }
}
