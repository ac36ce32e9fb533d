package org.sinter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.sinter.ControlFlow.ScanStep;
import org.sinter.autograd.GradCheck;

/** The control-flow primitives run eagerly: the Java branch or loop, with JAX's checks, differentiable through the ops they run. */
class ControlFlowTest {
    @Test
    void condRunsOnlyTheBranchThePredicateNames() {
        AtomicInteger falseRuns = new AtomicInteger();
        Tensor x = Tensor.of(new float[] {1, 2}, 2);
        Tensor[] r = ControlFlow.cond(Tensor.of(new boolean[] {true}, 1), a -> new Tensor[] {a[0].mul(a[1])}, a -> {
            falseRuns.incrementAndGet();
            return a;
        }, x, x);
        assertArrayEquals(new float[] {1, 4}, r[0].toFloatArray());
        assertEquals(0, falseRuns.get());
        assertArrayEquals(new float[] {1, 2}, ControlFlow.cond(x.sum().lt(0.0), a -> new Tensor[] {a[0].neg()}, a -> a, x)[0].toFloatArray());
    }

    @Test
    void whileLoopIteratesUntilItsConditionFails() {
        // Doubling until the sum passes 100: 1 + 2 → 3, 6, ..., 192 after 6 doublings.
        Tensor[] r = ControlFlow.whileLoop(s -> s[0].sum().lt(100.0), s -> new Tensor[] {s[0].mul(2.0), s[1].add(1L)},
                Tensor.of(new float[] {1, 2}, 2), Tensor.scalar(0, DType.INT64));
        assertArrayEquals(new float[] {64, 128}, r[0].toFloatArray());
        assertEquals(6, r[1].itemLong());
        Tensor[] none = ControlFlow.whileLoop(s -> s[0].gt(0.0), s -> s, Tensor.scalar(-1.0));
        assertEquals(-1.0, none[0].item());
    }

    @Test
    void scanThreadsTheCarryAndStacksTheOutputs() {
        Tensor xs = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        ControlFlow.ScanResult r = ControlFlow.scan((c, x) -> {
            Tensor next = c[0].add(x[0]);
            return new ScanStep(new Tensor[] {next}, new Tensor[] {next, x[0].sum()});
        }, new Tensor[] {Tensor.zeros(2)}, xs);
        assertArrayEquals(new float[] {9, 12}, r.carry()[0].toFloatArray());
        assertArrayEquals(new float[] {1, 2, 4, 6, 9, 12}, r.ys()[0].toFloatArray());
        assertArrayEquals(new int[] {3, 2}, r.ys()[0].shape());
        assertArrayEquals(new float[] {3, 7, 11}, r.ys()[1].toFloatArray());
        ControlFlow.ScanResult reversed = ControlFlow.scan((c, x) -> {
            Tensor next = c[0].add(x[0]);
            return new ScanStep(new Tensor[] {next}, new Tensor[] {next});
        }, new Tensor[] {Tensor.zeros(2)}, new Tensor[] {xs}, true);
        assertArrayEquals(new float[] {9, 12, 8, 10, 5, 6}, reversed.ys()[0].toFloatArray(), "stacked by step index, summed from the end");
    }

    @Test
    void badUseIsAClearErrorNamingThePrimitive() {
        Tensor x = Tensor.zeros(3);
        var pred = assertThrows(IllegalArgumentException.class, () -> ControlFlow.cond(x.gt(0.0), a -> a, a -> a, x));
        assertEquals("cond: the predicate must be a bool tensor with one element, got bool[3]", pred.getMessage());
        var state = assertThrows(IllegalArgumentException.class, () -> ControlFlow.whileLoop(s -> s[0].sum().lt(5.0),
                s -> new Tensor[] {s[0].add(1.0).unsqueeze(0)}, x));
        assertEquals("whileLoop: the body must keep the loop state's shapes and dtypes: init is [float32[3]], the body returns [float32[1, 3]]",
                state.getMessage());
        var ys = assertThrows(IllegalArgumentException.class, () -> ControlFlow.scan((c, v) -> new ScanStep(c,
                new Tensor[] {v[0].sum().gt(1.0).item() != 0 ? v[0] : v[0].sum()}), new Tensor[0], Tensor.of(new float[] {0, 0, 1, 1}, 2, 2)));
        assertEquals("scan: the body's outputs must keep their shapes and dtypes from step to step: the first step gave [float32[]], "
                + "step 1 gives [float32[2]]", ys.getMessage());
        var lengths = assertThrows(IllegalArgumentException.class, () -> ControlFlow.scan((c, v) -> new ScanStep(c, v), new Tensor[0],
                Tensor.zeros(3, 2), Tensor.zeros(4)));
        assertEquals("scan: the xs must share their leading dimension, got [float32[3, 2], float32[4]]", lengths.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> ControlFlow.scan((c, v) -> new ScanStep(c, v), new Tensor[0], Tensor.zeros(0, 2)));
        assertTrue(empty.getMessage().startsWith("scan: the xs have length 0"), empty.getMessage());
        var nulls = assertThrows(IllegalArgumentException.class, () -> ControlFlow.cond(x.sum().eq(0.0), a -> new Tensor[] {null}, a -> a, x));
        assertTrue(nulls.getMessage().startsWith("cond: ifTrue returned null as tensor 0"), nulls.getMessage());
    }

    @Test
    void gradientsFlowThroughTheOpsTheyRun() {
        Sinter.manualSeed(1);
        Tensor w = Tensor.randn(DType.FLOAT64, 3).requiresGrad(true), h0 = Tensor.randn(DType.FLOAT64, 3).requiresGrad(true);
        Tensor xs = Tensor.randn(DType.FLOAT64, 4, 3).requiresGrad(true);
        GradCheck.Fn rnn = in -> {
            ControlFlow.ScanResult r = ControlFlow.scan((c, x) -> {
                Tensor next = c[0].mul(in[0]).add(x[0]).tanh();
                Tensor[] kept = ControlFlow.cond(next.sum().gt(0.0), a -> new Tensor[] {a[0].mul(2.0)}, a -> a, next);
                return new ScanStep(kept, new Tensor[] {kept[0].sum()});
            }, new Tensor[] {in[1]}, in[2]);
            return r.carry()[0].sum().add(r.ys()[0].mul(r.ys()[0]).sum());
        };
        assertTrue(GradCheck.gradcheck(rnn, w, h0, xs));
    }
}
