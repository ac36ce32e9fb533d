package org.sinter.cuda;

import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;

/**
 * Uniform and normal fills on the GPU ({@code random.cu}, Philox4x32-10): each fill draws one
 * 64-bit seed from the CPU {@link Generator}, so a seeded program gives the same numbers run after
 * run; they differ from the CPU backend's (as PyTorch's CUDA numbers differ from its CPU ones).
 * False means "not here" (other dtypes, strided views): the host fills those.
 */
final class CudaRandom {
    private CudaRandom() {}

    private static long seed(Generator g) {
        synchronized (g) {
            return g.random().nextLong();
        }
    }

    static boolean uniform(Tensor t, double from, double to, Generator g) {
        return fill(t, "uniform", from, to - from, g);
    }

    static boolean normal(Tensor t, double mean, double std, Generator g) {
        return fill(t, "normal", mean, std, g);
    }

    private static boolean fill(Tensor t, String kind, double a, double b, Generator g) {
        if (!(t.dtype() == DType.FLOAT32 || t.dtype() == DType.FLOAT64) || !t.isContiguous()) return false;
        long n = t.numel();
        if (n == 0) return true;
        CudaDevice dev = CudaBackend.deviceOf(t);
        boolean f32 = t.dtype() == DType.FLOAT32;
        Launch l = Launch.of(dev.kernels().resource("random.cu", kind + (f32 ? "_f32" : "_f64")))
                .ptr(CudaBackend.address(t)).i64(n).i64(seed(g));
        if (f32) l.f32((float) a).f32((float) b);
        else l.f64(a).f64(b);
        l.grid(Launch.blocksFor(n, 256, dev)).block(256).run(dev);
        return true;
    }
}
