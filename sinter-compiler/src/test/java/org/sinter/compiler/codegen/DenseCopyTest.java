package org.sinter.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.kernels.Parallel;
import org.sinter.ops.TensorSpec;

/**
 * Strided views copied densely by the compiled program (a clone of a transposed view; a fused
 * group's non-contiguous input): the eager copy's values, on one thread and split across two.
 */
class DenseCopyTest {
    private final int threads = Parallel.numThreads();

    @AfterEach
    void restoreThreads() {
        Parallel.setNumThreads(threads);
    }

    @Test
    void viewsCopyToTheirContiguousValues() {
        Sinter.manualSeed(5);
        Tensor big = Tensor.randn(16, 64, 128), small = Tensor.randn(3, 5, 7);
        List<Tensor> views = List.of(big.transpose(0, 1), big.transpose(1, 2), big.narrow(2, 3, 100), big.select(0, 2).transpose(0, 1),
                small.transpose(0, 2), small.narrow(1, 1, 3), small, Tensor.randn(9), Tensor.scalar(2.5, DType.FLOAT32));
        for (int t : new int[] {1, 2}) {
            Parallel.setNumThreads(t);
            for (Tensor v : views) {
                float[] dst = new float[(int) v.numel() + 3];
                DenseCopy.copy(v, dst, 3);
                float[] want = v.contiguous().toFloatArray();
                float[] got = java.util.Arrays.copyOfRange(dst, 3, dst.length);
                assertArrayEquals(want, got, "view of shape " + java.util.Arrays.toString(v.shape()) + " on " + t + " threads");
            }
        }
    }

    /** seq-first copies as a batch-first attention traces them: a clone of a transpose, and a row group reading a transposed input. */
    @Test
    void clonesAndTransposedGroupInputsMatchEager() {
        Sinter.manualSeed(6);
        Graph g = Tracer.trace(in -> {
            Tensor seqFirst = in[0].mul(2.0).add(1.0).transpose(0, 1).clone();          // [L, B, D] copy of a fused result
            Tensor back = seqFirst.mul(3.0).transpose(0, 1);                             // a fused result, viewed batch-first
            Tensor mean = in[1].add(back).mean(new int[] {2}, true);
            Tensor norm = in[1].add(back).sub(mean);                                      // a row group reading the transposed view
            return new Tensor[] {norm, seqFirst.sum()};
        }, List.of(new TensorSpec(new int[] {16, 64, 128}, DType.FLOAT32), new TensorSpec(new int[] {16, 64, 128}, DType.FLOAT32)), Map.of());
        Program p = Program.compile(g);
        assertTrue(p.steps().stream().anyMatch(s -> s instanceof CloneStep), "the clone runs as a CloneStep: " + p.steps());
        for (int t : new int[] {1, 2}) {
            Parallel.setNumThreads(t);
            for (int run = 0; run < 2; run++) { // the second run reuses the arena and the kept copy buffers
                Tensor x = Tensor.randn(16, 64, 128), r = Tensor.randn(16, 64, 128);
                Tensor[] want = Interpreter.run(g, x, r), got = p.run(x, r);
                assertEquals(want.length, got.length);
                for (int i = 0; i < want.length; i++) assertArrayEquals(want[i].toFloatArray(), got[i].toFloatArray(), "output " + i + ", " + t + " threads");
            }
        }
    }
}
