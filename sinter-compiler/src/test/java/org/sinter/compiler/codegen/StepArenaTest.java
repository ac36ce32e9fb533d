package org.sinter.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.ops.TensorSpec;

/** Intermediates live in a reused arena: less memory than one buffer each, and results never share it. */
class StepArenaTest {
    /** Fused groups separated by dispatched cumulative sums and a product; the last group's result is returned, with a view of it. */
    private static Graph chain() {
        return Tracer.trace(in -> {
            Tensor x = in[0];
            Tensor a = x.mul(2.0).add(1.0).relu();             // fused: a [64, 96]
            Tensor s = a.cumsum(0);                             // dispatched
            Tensor b = a.sub(s).exp().mul(0.5);                 // fused: b [64, 96] (a dies here)
            Tensor c = b.matmul(in[1]).tanh();                  // GEMM with its epilogue: c [64, 80], may take a's memory
            Tensor d = c.cumsum(0);                             // dispatched
            Tensor e = c.sub(d).abs().add(1.0);                 // fused: the result
            return new Tensor[] {e, e.reshape(-1)};
        }, List.of(new TensorSpec(new int[] {64, 96}, DType.FLOAT32), new TensorSpec(new int[] {96, 80}, DType.FLOAT32)), Map.of());
    }

    @Test
    void intermediatesShareAnArenaAndResultsStayTheirOwn() {
        Sinter.manualSeed(3);
        Graph g = chain();
        Program p = Program.compile(g);
        assertTrue(p.arenaValues() == 3, "a, b and c are planned in the arena: " + p.arenaValues());
        // a and b are alive together; c comes after a's last read, so it reuses a's memory.
        assertTrue(p.arenaBytes() == 4L * 2 * 64 * 96, "the arena reuses memory: " + p.arenaBytes() + " bytes");
        Tensor x1 = Tensor.randn(64, 96), w = Tensor.randn(96, 80), x2 = Tensor.randn(64, 96);
        Tensor[] first = p.run(x1, w);
        float[] kept = first[0].toFloatArray();
        Tensor[] second = p.run(x2, w);
        // The second run reused the arena: the first run's results are untouched, and both equal eager.
        assertArrayEquals(kept, first[0].toFloatArray(), "a result must not live in the reused arena");
        assertArrayEquals(Interpreter.run(g, x1, w)[0].toFloatArray(), kept);
        assertArrayEquals(Interpreter.run(g, x2, w)[0].toFloatArray(), second[0].toFloatArray());
        assertArrayEquals(Interpreter.run(g, x2, w)[1].toFloatArray(), second[1].toFloatArray());
        assertArrayEquals(second[0].toFloatArray(), second[1].toFloatArray());
    }
}
