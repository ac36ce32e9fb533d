package org.sinter.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.Graph;
import org.sinter.ops.TensorSpec;

/** Independent branches run concurrently and give exactly the sequential results; a failing step fails the run. */
class InterOpTest {
    /** Attention-like: three projections of one input, reductions, and a join, wide enough to run side by side. */
    private static Graph branches() {
        return Tracer.trace(in -> {
            Tensor x = in[0];
            Tensor q = x.matmul(in[1]).tanh(), k = x.matmul(in[2]).sigmoid(), v = x.matmul(in[3]).relu();
            Tensor s = q.mul(k).sum(-1, true).softmax(0);
            return new Tensor[] {v.mul(s).add(x.exp().mean()), q.sum(), k.amax(new int[] {0}, false)};
        }, List.of(spec(64, 96), spec(96, 96), spec(96, 96), spec(96, 96)), Map.of());
    }

    private static TensorSpec spec(int... shape) {
        return new TensorSpec(shape, DType.FLOAT32);
    }

    @Test
    void parallelBranchesGiveTheSequentialBits() {
        Sinter.manualSeed(11);
        Graph g = branches();
        Program p = Program.compile(g);
        assertTrue(p.parallelWidth() >= 3, "the three projections can run at once: width " + p.parallelWidth());
        Tensor[] in = {Tensor.randn(64, 96), Tensor.randn(96, 96), Tensor.randn(96, 96), Tensor.randn(96, 96)};
        Tensor[] sequential = p.run(in);
        p.setInterOpThreads(3);
        for (int rep = 0; rep < 50; rep++) {
            Tensor[] parallel = p.run(in);
            for (int i = 0; i < sequential.length; i++) {
                assertArrayEquals(sequential[i].toFloatArray(), parallel[i].toFloatArray(), "output " + i + ", run " + rep);
            }
        }
    }

    @Test
    void aFailingStepFailsTheRunAndTheExecutorRecovers() {
        Graph g = Tracer.trace(in -> new Tensor[] {in[0].add(1.0).relu(), in[0].matmul(in[1])}, List.of(spec(4, 5), spec(5, 6)), Map.of());
        Program p = Program.compile(g);
        p.setInterOpThreads(2);
        // A wrong-sized second input slips past nothing but the product's own check, inside a worker.
        var e = assertThrows(IllegalArgumentException.class, () -> p.run(Tensor.randn(4, 5), Tensor.randn(7, 6)));
        assertTrue(e.getMessage().contains("bmm") || e.getMessage().contains("matmul") || e.getMessage().contains("sgemm"), e.getMessage());
        Tensor[] ok = p.run(Tensor.ones(4, 5), Tensor.ones(5, 6));
        assertEquals(5f, ok[1].toFloatArray()[0]);
        assertThrows(IllegalArgumentException.class, () -> p.setInterOpThreads(0));
    }
}
