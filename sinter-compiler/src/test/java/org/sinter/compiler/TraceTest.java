package org.sinter.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.GraphText;
import org.sinter.compiler.ir.Graphviz;
import org.sinter.compiler.ir.Verifier;
import org.sinter.compiler.runtime.Interpreter;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.GELU;
import org.sinter.nn.LayerNorm;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.ops.TensorSpec;

/** Tracing on the meta backend: graphs that verify, print and parse back, and run to eager's numbers. */
class TraceTest {
    private static Graph traceModule(Module m, int... inputShape) {
        Map<String, Tensor> state = new java.util.LinkedHashMap<>(m.namedParameters());
        state.putAll(m.namedBuffers());
        return Tracer.trace(in -> new Tensor[] {m.forward(in[0])}, List.of(new TensorSpec(inputShape, DType.FLOAT32)), state);
    }

    private static void assertRunsLikeEager(Module m, Graph g, int... inputShape) {
        Tensor x = Tensor.randn(inputShape);
        Tensor eager;
        try (var _ = Sinter.noGrad()) {
            eager = m.forward(x);
        }
        Tensor compiled = Interpreter.run(g, x)[0];
        assertArrayEquals(eager.shape(), compiled.shape());
        assertArrayEquals(eager.toFloatArray(), compiled.toFloatArray(), 0f, "the interpreted graph runs the same kernels as eager");
    }

    private static void assertRoundTrips(Graph g) {
        String text = GraphText.print(g);
        Graph parsed = GraphText.parse(text);
        Verifier.verify(parsed);
        assertEquals(text, GraphText.print(parsed));
    }

    @Test
    void mlpTracesVerifiesRoundTripsAndRuns() {
        Sinter.manualSeed(3);
        Module mlp = new Sequential(new Flatten(), new Linear(784, 64), new ReLU(), new Linear(64, 10));
        Graph g = traceModule(mlp, 8, 1, 28, 28);
        Verifier.verify(g);
        assertEquals(4, g.parameters().size());
        assertTrue(g.parameters().values().stream().anyMatch(p -> p.name().equals("1.weight")), g.parameters().toString());
        assertArrayEquals(new int[] {8, 10}, g.outputs().get(0).shape());
        assertRoundTrips(g);
        assertRunsLikeEager(mlp, g, 8, 1, 28, 28);
        assertFalse(mlp.parameters().get(0).isMeta(), "parameters are restored after tracing");
        assertTrue(Graphviz.toDot(g).contains("1.weight"));
    }

    @Test
    void convNetAndTransformerPiecesTrace() {
        Sinter.manualSeed(4);
        Module cnn = new Sequential(new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 13 * 13, 10));
        Graph g = traceModule(cnn, 2, 1, 28, 28);
        Verifier.verify(g);
        assertRoundTrips(g);
        assertRunsLikeEager(cnn, g, 2, 1, 28, 28);

        Module block = new Sequential(new LayerNorm(16), new Linear(16, 32), new GELU(), new Linear(32, 16));
        Graph b = traceModule(block, 4, 7, 16);
        Verifier.verify(b);
        assertRoundTrips(b);
        assertRunsLikeEager(block, b, 4, 7, 16);
    }

    @Test
    void scalarsBindAndInPlaceOpsBecomeFunctional() {
        Function<Tensor[], Tensor[]> fn = in -> {
            Tensor y = in[0].mul(2.0).add(in[1]);
            y.relu_();
            y.add_(1.0);
            return new Tensor[] {y.sum(1, false)};
        };
        List<TensorSpec> specs = List.of(new TensorSpec(new int[] {3, 4}, DType.FLOAT32), new TensorSpec(new int[] {4}, DType.FLOAT32));
        Graph g = Tracer.trace(fn, specs, Map.of());
        Verifier.verify(g);
        Tensor a = Tensor.randn(3, 4), b = Tensor.randn(4);
        Tensor eager = fn.apply(new Tensor[] {a, b})[0];
        assertArrayEquals(eager.toFloatArray(), Interpreter.run(g, a, b)[0].toFloatArray(), 0f);
        assertRoundTrips(g);
    }

    @Test
    void untraceableCodeIsAClearErrorAndParametersAreRestored() {
        Linear lin = new Linear(4, 4);
        Tensor weight = lin.weight;
        // A tensor made from data inside the function is baked in as a constant (as torch.jit.trace does).
        Function<Tensor[], Tensor[]> madeFromData = in -> new Tensor[] {lin.forward(in[0]).add(Tensor.arange(0, 4, 1, DType.FLOAT32))};
        Graph g = Tracer.trace(madeFromData, List.of(new TensorSpec(new int[] {2, 4}, DType.FLOAT32)), lin.namedParameters());
        Verifier.verify(g);
        assertRoundTrips(g);
        Tensor x = Tensor.randn(2, 4);
        try (var _ = Sinter.noGrad()) {
            assertArrayEquals(madeFromData.apply(new Tensor[] {x})[0].toFloatArray(), Interpreter.run(g, x)[0].toFloatArray(), 0f);
        }
        assertFalse(weight.isMeta(), "parameters are restored");
        var e = assertThrows(IllegalArgumentException.class, () -> Tracer.trace(in -> new Tensor[] {in[0].add(Tensor.empty(DType.FLOAT32, org.sinter.Device.META, 2, 4))},
                List.of(new TensorSpec(new int[] {2, 4}, DType.FLOAT32)), Map.of()));
        assertTrue(e.getMessage().startsWith("trace: add reads the meta tensor"), e.getMessage());

        Function<Tensor[], Tensor[]> viewWrite = in -> {
            Tensor y = in[0].mul(1.0);
            y.select(0, 0).add_(1.0);
            return new Tensor[] {y};
        };
        var v = assertThrows(UnsupportedOperationException.class,
                () -> Tracer.trace(viewWrite, List.of(new TensorSpec(new int[] {2, 4}, DType.FLOAT32)), Map.of()));
        assertTrue(v.getMessage().contains("changed in place through another view"), v.getMessage());

        Function<Tensor[], Tensor[]> inputWrite = in -> new Tensor[] {in[0].add_(1.0)};
        var w = assertThrows(UnsupportedOperationException.class,
                () -> Tracer.trace(inputWrite, List.of(new TensorSpec(new int[] {2, 4}, DType.FLOAT32)), Map.of()));
        assertTrue(w.getMessage().contains("writes into the graph's input 0"), w.getMessage());
    }

    @Test
    void verifierAndParserNameWhatIsWrong() {
        String bad = "graph(%0: float32[2, 3]) {\n  %1: float32[3, 3] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%0)\n  return %1\n}\n";
        var e = assertThrows(IllegalArgumentException.class, () -> GraphText.parse(bad));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("declared float32[3, 3]"), e.getMessage());
        var u = assertThrows(IllegalArgumentException.class, () -> GraphText.parse("graph() {\n  %1: float32[2] = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%0)\n  return %1\n}\n"));
        assertTrue(u.getMessage().contains("%0 is used before it is defined"), u.getMessage());
        var k = assertThrows(IllegalArgumentException.class, () -> GraphText.parse("graph(%0: float32[2]) {\n  %1: float32[2] = Frobnicate(%0)\n  return %1\n}\n"));
        assertTrue(k.getMessage().contains("unknown op kind 'Frobnicate'"), k.getMessage());
    }
}
