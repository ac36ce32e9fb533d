package org.sinter.compiler.codegen;

import org.sinter.kernels.Parallel;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.conv.PackedConv;

/**
 * Kernels an auto-tuner supplies in place of the built-in ones (AutoTVM's dispatch context,
 * {@code ApplyHistoryBest}): while a provider is in use on this thread, {@link Program#compile}
 * asks it for each convolution and each product with a constant right operand (a linear layer),
 * and runs the tuned kernel where it has one, the built-in kernel where it has none. The compiler knows only this interface; sinter-autotune
 * implements it from its tuning logs.
 * <pre>
 *   try (var scope = TunedKernels.use(ApplyHistoryBest.load(log))) { program = Program.compile(graph); }
 * </pre>
 */
public interface TunedKernels {
    /**
     * A tuned conv2d for this geometry and batch size, with its constant filter (dense
     * {@code [k, c/groups, kh, kw]} from {@code weightOff}), or null.
     */
    TunedConv conv2d(ConvGeometry g, int batch, float[] weight, int weightOff);

    /** Computes {@code y = conv(x, filter) + bias} for a whole batch (dense NCHW arrays; bias per output channel). */
    interface TunedConv {
        void run(float[] x, int xOff, float[] bias, int biasOff, float[] y, int yOff);

        /**
         * As {@link #run}, telling {@code done} of each finished block of the output (a sample's
         * channels x pixels), from the thread that computed it while it is in cache: the compiler
         * runs a convolution's epilogue there, as on the built-in kernels' blocks. The default runs
         * the whole batch, then tells each sample's output in blocks of channels on every thread.
         */
        default void run(float[] x, int xOff, float[] bias, int biasOff, float[] y, int yOff, int batch, ConvGeometry g, PackedConv.BlockDone done) {
            run(x, xOff, bias, biasOff, y, yOff);
            int plane = g.outPlane();
            for (int i = 0; i < batch; i++) {
                int sample = i;
                Parallel.forRange(g.k(), Math.max(1, (1 << 14) / Math.max(1, plane)), (c0, c1) -> done.done(sample, c0, c1 - c0, 0, plane));
            }
        }
    }

    /**
     * A tuned product {@code C[m,n] = A[m,k] · op(B)} for this constant B (stored {@code n x k}
     * when {@code transB}, as a linear layer's weight; else {@code k x n}; row stride {@code ldb}
     * from {@code bOff}), or null. The default has none.
     */
    default TunedMatmul matmul(int m, int n, int k, boolean transB, float[] b, int bOff, int ldb) {
        return null;
    }

    /** Computes {@code C = A · op(B)} for a dense row-major A ({@code m x k}) into a dense C ({@code m x n}). */
    interface TunedMatmul {
        void run(float[] a, int aOff, float[] c, int cOff);
    }

    /** No tuned kernels: every convolution and product keeps its built-in kernel. */
    TunedKernels NONE = (g, batch, w, off) -> null;

    /** The provider in use on this thread ({@link #NONE} outside any {@link #use} scope). */
    static TunedKernels current() {
        return Scope.CURRENT.get();
    }

    /** Uses {@code kernels} on this thread until the returned scope closes (scopes nest). */
    static Scope use(TunedKernels kernels) {
        return new Scope(kernels);
    }

    /** A {@link #use} scope: closing it restores the provider that was in use before. */
    final class Scope implements AutoCloseable {
        private static final ThreadLocal<TunedKernels> CURRENT = ThreadLocal.withInitial(() -> NONE);
        private final TunedKernels previous;

        private Scope(TunedKernels kernels) {
            previous = CURRENT.get();
            CURRENT.set(kernels);
        }

        @Override
        public void close() {
            CURRENT.set(previous);
        }
    }
}
