package org.sinter.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.GraphText;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.ops.TensorSpec;

/** Constant folding and propagation; BatchNorm folded into the convolution before it (frozen inference). */
class FoldingTest {
    @Test
    void constantsFoldAndPropagate() {
        Graph g = Tracer.trace(in -> new Tensor[] {in[0].add(Tensor.arange(0, 4, 1, DType.FLOAT32).mul(2.0).exp())},
                List.of(new TensorSpec(new int[] {3, 4}, DType.FLOAT32)), Map.of());
        assertEquals(3, g.nodes().size(), g.toString());
        Graph folded = new DeadCodeElimination().run(new ConstantFolding(false).run(g).graph()).graph();
        assertEquals(1, folded.nodes().size(), "mul and exp of constants are computed at compile time:\n" + folded);
        Tensor x = Tensor.randn(3, 4);
        assertArrayEquals(Interpreter.run(g, x)[0].toFloatArray(), Interpreter.run(folded, x)[0].toFloatArray(), 0f);
        assertTrue(GraphText.print(folded).contains("const %1: float32[4] \"folded.exp."), GraphText.print(folded));
    }

    @Test
    void parametersFoldOnlyWhenFrozen() {
        Sinter.manualSeed(9);
        Module m = new Sequential(new Conv2d(3, 8, 3), new BatchNorm2d(8), new ReLU());
        // Give the BatchNorm statistics that are not the identity.
        try (var _ = Sinter.noGrad()) {
            m.train();
            for (int i = 0; i < 3; i++) m.forward(Tensor.randn(4, 3, 10, 10).mul(2.0).add(1.0));
        }
        m.eval();
        Map<String, Tensor> state = new LinkedHashMap<>(m.namedParameters());
        state.putAll(m.namedBuffers());
        Graph g = Tracer.trace(in -> new Tensor[] {m.forward(in[0])}, List.of(new TensorSpec(new int[] {2, 3, 10, 10}, DType.FLOAT32)), state);
        Graph standard = PassManager.standard().run(g).graph();
        assertTrue(standard.nodes().stream().anyMatch(n -> n.op().name().equals("rsqrt")), "parameters are read at run time:\n" + standard);
        Graph frozen = PassManager.frozenInference().run(g).graph();
        assertEquals(List.of("conv2d", "relu"), frozen.nodes().stream().map(n -> n.op().name()).toList(), frozen.toString());
        Tensor x = Tensor.randn(2, 3, 10, 10);
        Tensor eager;
        try (var _ = Sinter.noGrad()) {
            eager = m.forward(x);
        }
        float[] e = eager.toFloatArray(), f = Interpreter.run(frozen, x)[0].toFloatArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], f[i], 1e-5 + 1e-5 * Math.abs(e[i]), "element " + i);
    }
}
