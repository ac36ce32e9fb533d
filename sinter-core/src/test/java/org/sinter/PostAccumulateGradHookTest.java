package org.sinter;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PyTorch's post-accumulate-grad hooks: called once per backward with the leaf whose grad is complete. */
class PostAccumulateGradHookTest {
    @Test
    void hookSeesTheAccumulatedGradient() {
        Tensor w = Tensor.of(new float[] {1, 2}).requiresGrad(true);
        List<float[]> seen = new ArrayList<>();
        Tensor.RemovableHandle h = w.registerPostAccumulateGradHook(t -> seen.add(t.grad().toFloatArray().clone()));
        // w is used twice: the engine sums both paths before the sink runs, so the hook fires once.
        w.mul(3.0).add(w.mul(2.0)).sum().backward();
        assertEquals(1, seen.size());
        assertArrayEquals(new float[] {5, 5}, seen.get(0));
        // A second backward accumulates: the hook sees the running sum.
        w.mul(3.0).sum().backward();
        assertArrayEquals(new float[] {8, 8}, seen.get(1));
        h.remove();
        w.sum().backward();
        assertEquals(2, seen.size());
    }

    @Test
    void hooksFireInTheOrderBackwardCompletesLeaves() {
        Tensor a = Tensor.of(new float[] {1}).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {2}).requiresGrad(true);
        List<String> order = new ArrayList<>();
        a.registerPostAccumulateGradHook(t -> order.add("a"));
        b.registerPostAccumulateGradHook(t -> order.add("b"));
        // b is used last in forward, so backward reaches it first (as parameters of a later layer).
        a.mul(2.0).exp().mul(b).sum().backward();
        assertEquals(List.of("b", "a"), order);
    }

    @Test
    void variableNamesTheLeafOfASinkNode() {
        Tensor a = Tensor.of(new float[] {1}).requiresGrad(true);
        Tensor y = a.mul(2.0);
        Node sink = y.gradFn().nextFunctions().get(0);
        assertSame(a, sink.variable());
        assertNull(y.gradFn().variable());
    }

    @Test
    void rejectsNonLeavesAndTensorsWithoutGrad() {
        Tensor a = Tensor.of(new float[] {1});
        assertThrows(IllegalStateException.class, () -> a.registerPostAccumulateGradHook(t -> {}));
        Tensor b = Tensor.of(new float[] {1}).requiresGrad(true).mul(2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.registerPostAccumulateGradHook(t -> {}));
        assertTrue(e.getMessage().contains("non-leaf"), e.getMessage());
    }
}
