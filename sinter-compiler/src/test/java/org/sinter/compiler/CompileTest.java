package org.sinter.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/** Compile: trace once, cache under guards, re-trace when they fail, one graph for every batch size. */
class CompileTest {
    private static Module mlp() {
        Sinter.manualSeed(11);
        return new Sequential(new Flatten(), new Linear(12, 16), new ReLU(), new Linear(16, 3));
    }

    private static void assertSame(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-6f);
    }

    @Test
    void tracesOnceAndRetracesWhenAGuardFails() {
        Module m = mlp();
        CompiledFunction f = Compiler.compile(m);
        Tensor x = Tensor.randn(4, 3, 4);
        try (var _ = Sinter.noGrad()) {
            assertSame(m.forward(x), f.call(x)[0]);
            f.call(Tensor.randn(4, 3, 4));
            assertEquals(1, f.traceCount(), "same shapes: the cached graph");
            assertSame(m.forward(Tensor.ones(5, 3, 4)), f.call(Tensor.ones(5, 3, 4))[0]);
            assertEquals(2, f.traceCount(), "a new batch size fails the static guard");
        }
        f.call(x); // grad mode on: another guard
        assertEquals(3, f.traceCount());
    }

    /** Called with autograd on, the compiled function's backward reaches the module's own parameters, as eager's does. */
    @Test
    void aRecordedCallAccumulatesIntoTheParametersGradients() {
        Module eager = mlp(), compiled = mlp();
        Tensor x = Tensor.randn(4, 3, 4);
        eager.forward(x).square().sum().backward();
        Compiler.compile(compiled).call(x)[0].square().sum().backward();
        for (int i = 0; i < eager.parameters().size(); i++) {
            assertSame(eager.parameters().get(i).grad(), compiled.parameters().get(i).grad());
        }
    }

    @Test
    void aDynamicBatchServesEveryBatchSizeFromOneTemplate() {
        Module m = mlp();
        CompiledFunction f = Compiler.compile(m, CompileOptions.defaults().withDynamicBatch(true));
        try (var _ = Sinter.noGrad()) {
            for (int b : new int[] {2, 9, 64, 17}) {
                Tensor x = Tensor.randn(b, 3, 4);
                assertSame(m.forward(x), f.call(x)[0]);
            }
            assertEquals(3, f.traceCount(), "one template, traced at three sizes");
            Tensor one = Tensor.randn(1, 3, 4);
            assertSame(m.forward(one), f.call(one)[0]);
            assertEquals(4, f.traceCount(), "batch size 1 is specialised");
        }
    }

    @Test
    void batchDependentScalarsAreRefused() {
        CompiledFunction f = Compiler.compile(in -> new Tensor[] {in[0].sum().mul(1.0 / in[0].shape()[0])}, Map.of(),
                CompileOptions.defaults().withDynamicBatch(true));
        var e = assertThrows(IllegalArgumentException.class, () -> f.call(Tensor.randn(4, 2)));
        assertTrue(e.getMessage().contains("depends on the batch size"), e.getMessage());
        CompiledFunction arange = Compiler.compile(in -> new Tensor[] {in[0].add(Tensor.arange(0, in[0].shape()[0], 1, org.sinter.DType.FLOAT32).unsqueeze(1))},
                Map.of(), CompileOptions.defaults().withDynamicBatch(true));
        var t = assertThrows(IllegalArgumentException.class, () -> arange.call(Tensor.randn(4, 2)));
        assertTrue(t.getMessage().contains("a tensor built in Java"), t.getMessage());
    }

    @Test
    void graphsAreOptimised() {
        CompiledFunction f = Compiler.compile(in -> {
            Tensor a = in[0].mul(1.0).add(0.0).t().t();
            Tensor b = in[0].exp().add(in[0].exp());
            return new Tensor[] {a.add(b)};
        });
        Tensor x = Tensor.randn(3, 5);
        var g = f.graphFor(x);
        String text = g.toString();
        assertEquals(3, g.nodes().size(), text); // exp (once), add, add
        assertSame(x.add(x.exp().mul(2.0)), f.call(x)[0]);
    }
}
