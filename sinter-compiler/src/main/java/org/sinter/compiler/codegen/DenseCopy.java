package org.sinter.compiler.codegen;

import java.util.concurrent.atomic.AtomicReference;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.kernels.Parallel;

/**
 * A float32 strided view copied into dense row-major memory the program already holds, its rows
 * split across the intra-op pool: what a compiled program does where eager code would call
 * {@code contiguous()} or {@code clone()}. Eager code allocates the copy on every call, and a fresh
 * 512 KB array (a batch-16 GPT's seq-first activations) cost more than the copy itself (measured
 * ~45-60 µs for the allocation against ~30 µs for the rows, on one core).
 */
final class DenseCopy {
    private DenseCopy() {}

    /** Below this many elements the copy stays on the calling thread (a fork/join is not worth it). */
    private static final int PARALLEL_MIN = 1 << 15;

    /** Copies {@code src} (float32, any strides) into {@code dst} from {@code dstOff}, row-major. */
    static void copy(Tensor src, float[] dst, int dstOff) {
        if (src.dtype() != DType.FLOAT32) throw new IllegalArgumentException("DenseCopy: float32 only, got " + src.dtype());
        int[] shape = src.shape(), stride = src.stride();
        int rank = shape.length;
        float[] s = src.storage().floats();
        int base = src.storageOffset();
        if (rank == 0) {
            dst[dstOff] = s[base];
            return;
        }
        int len = shape[rank - 1], step = stride[rank - 1];
        int rows = 1;
        for (int d = 0; d < rank - 1; d++) rows *= shape[d];
        if (rows == 0 || len == 0) return;
        Parallel.RangeBody body = (from, to) -> {
            for (int r = from; r < to; r++) {
                // The row's source offset from its index over the leading dimensions.
                int off = base;
                for (int d = rank - 2, rem = r; d >= 0; d--) {
                    off += (rem % shape[d]) * stride[d];
                    rem /= shape[d];
                }
                int o = dstOff + r * len;
                if (step == 1) System.arraycopy(s, off, dst, o, len);
                else for (int j = 0; j < len; j++) dst[o + j] = s[off + j * step];
            }
        };
        long total = (long) rows * len;
        if (total >= PARALLEL_MIN && rows > 1) Parallel.forRange(rows, Math.max(1, (int) (rows * (long) (PARALLEL_MIN / 2) / total)), body);
        else body.run(0, rows);
    }

    /**
     * A buffer kept from call to call for a step's dense copies (taken while in use, so a program
     * run from two threads at once gets a fresh array on one of them).
     */
    static final class Reused {
        private final AtomicReference<float[]> spare = new AtomicReference<>();

        /** {@code src} copied densely into the kept buffer (or a new one); hand it back with {@link #give}. */
        float[] dense(Tensor src) {
            int n = Math.toIntExact(src.numel());
            float[] buf = spare.getAndSet(null);
            if (buf == null || buf.length != n) buf = new float[n];
            copy(src, buf, 0);
            return buf;
        }

        void give(float[] buf) {
            spare.set(buf);
        }
    }
}
