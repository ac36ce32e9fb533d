package org.sinter.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.codegen.Program;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.kernels.UnaryKernels.UnaryFn;
import org.sinter.nn.Linear;
import org.sinter.ops.TensorSpec;
import org.sinter.ops.UnaryOps;

/**
 * The erf GELU as exporters spell it ({@code x · (1 + erf(x / √2)) · 0.5}, in its operand orders)
 * becomes one GELU, after a linear layer as in a Transformer's feed-forward block; near misses stay;
 * results match the chain's and {@code gelu}'s on random inputs, interpreted and compiled.
 */
class ErfGeluRecognitionTest {
    private static final double SQRT2 = Math.sqrt(2);

    private static long unaries(Graph g, UnaryFn fn) {
        return g.nodes().stream().map(Node::op).filter(op -> op instanceof UnaryOps.Unary u && u.fn() == fn).count();
    }

    private static Graph trace(Function<Tensor, Tensor> f, Linear lin, int[] shape) {
        Map<String, Tensor> state = new LinkedHashMap<>(lin.namedParameters());
        return Tracer.trace(in -> new Tensor[] {f.apply(lin.forward(in[0]))}, List.of(new TensorSpec(shape, DType.FLOAT32)), state);
    }

    private static void assertClose(float[] want, float[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), what + ", element " + i);
    }

    @Test
    void everyOperandOrderBecomesOneGelu() {
        Sinter.manualSeed(7);
        Linear lin = new Linear(12, 40);
        int[] shape = {3, 5, 12};
        List<Function<Tensor, Tensor>> spellings = List.of(
                x -> x.mul(x.div(SQRT2).erf().add(1.0)).mul(0.5),            // torch.onnx.export's order
                x -> x.div(SQRT2).erf().add(1.0).mul(x).mul(0.5),
                x -> x.mul(0.5).mul(x.mul(1 / SQRT2).erf().add(1.0)),
                x -> x.mul(x.div(SQRT2).erf().add(1.0).mul(0.5)));
        for (int s = 0; s < spellings.size(); s++) {
            Graph g = trace(spellings.get(s), lin, shape);
            Graph frozen = PassManager.frozenInference().run(g).graph();
            assertEquals(1, unaries(frozen, UnaryFn.GELU), "spelling " + s + ": " + frozen);
            assertEquals(0, unaries(frozen, UnaryFn.ERF), "spelling " + s + ": " + frozen);
            Program program = Program.compile(frozen);
            for (int t = 0; t < 3; t++) {
                Tensor x = Tensor.randn(shape).mul(1.0 + 2 * t);
                float[] chain = Interpreter.run(g, x)[0].toFloatArray();
                assertClose(chain, Interpreter.run(frozen, x)[0].toFloatArray(), 1e-6, "spelling " + s + ", trial " + t + ", interpreted");
                assertClose(chain, program.run(x)[0].toFloatArray(), 1e-5, "spelling " + s + ", trial " + t + ", compiled");
                assertClose(lin.forward(x).gelu().toFloatArray(), Interpreter.run(frozen, x)[0].toFloatArray(), 1e-6, "spelling " + s + " against gelu");
            }
        }
    }

    @Test
    void nearMissesAreLeftAlone() {
        Sinter.manualSeed(8);
        Linear lin = new Linear(12, 40);
        int[] shape = {2, 12};
        List<Function<Tensor, Tensor>> misses = List.of(
                x -> x.mul(x.div(2.0).erf().add(1.0)).mul(0.5),              // erf(x / 2): not the GELU
                x -> x.mul(x.div(SQRT2).erf().add(1.0)).mul(0.25),           // scaled by 1/4
                x -> x.mul(x.div(SQRT2).erf().add(2.0)).mul(0.5),            // 2 + erf
                x -> {                                                        // erf's value also read elsewhere
                    Tensor u = x.div(SQRT2).erf();
                    return x.mul(u.add(1.0)).mul(0.5).add(u);
                });
        for (int s = 0; s < misses.size(); s++) {
            Graph g = trace(misses.get(s), lin, shape);
            Graph frozen = PassManager.frozenInference().run(g).graph();
            assertEquals(0, unaries(frozen, UnaryFn.GELU), "miss " + s + ": " + frozen);
            Tensor x = Tensor.randn(shape);
            assertClose(Interpreter.run(g, x)[0].toFloatArray(), Interpreter.run(frozen, x)[0].toFloatArray(), 1e-6, "miss " + s);
        }
    }
}
