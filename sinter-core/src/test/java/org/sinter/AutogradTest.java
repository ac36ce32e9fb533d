package org.sinter;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Autograd semantics as in PyTorch: leaves, accumulation, hooks, retain/create graph, modes. */
class AutogradTest {
    @Test
    void gradientsAccumulateUntilCleared() {
        Tensor w = Tensor.of(new float[] {1, 2}).requiresGrad(true);
        w.mul(3.0).sum().backward();
        w.mul(3.0).sum().backward();
        assertArrayEquals(new float[] {6, 6}, w.grad().toFloatArray());
        w.zeroGrad();
        assertNull(w.grad());
    }

    @Test
    void leafAndNonLeafSemantics() {
        Tensor a = Tensor.randn(3).requiresGrad(true);
        Tensor b = a.mul(2.0);
        assertTrue(a.isLeaf());
        assertFalse(b.isLeaf());
        assertEquals("MulBackward0", b.gradFn().name());
        b.retainGrad();
        b.sum().backward();
        assertArrayEquals(new float[] {1, 1, 1}, b.grad().toFloatArray());
        assertArrayEquals(new float[] {2, 2, 2}, a.grad().toFloatArray());
        assertThrows(IllegalStateException.class, () -> b.requiresGrad(false));
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(3).requiresGrad(true));
    }

    @Test
    void backwardOnNonScalarNeedsGradient() {
        Tensor a = Tensor.randn(2, 2).requiresGrad(true);
        Tensor y = a.mul(2.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("implicitly created only for scalar"), e.getMessage());
        y.backward(Tensor.ones(2, 2));
        assertArrayEquals(new float[] {2, 2, 2, 2}, a.grad().toFloatArray());
    }

    @Test
    void secondBackwardNeedsRetainGraph() {
        Tensor a = Tensor.randn(3).requiresGrad(true);
        Tensor y = a.exp().sum();
        y.backward(null, true, false);
        y.backward();
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void doubleBackward() {
        Tensor x = Tensor.of(new double[] {0.5, -1.0, 2.0}).requiresGrad(true);
        Tensor y = x.pow(3).sum();
        List<Tensor> g = Autograd.grad(y, List.of(x), true);
        assertArrayEquals(new double[] {0.75, 3, 12}, g.get(0).toDoubleArray(), 1e-12);
        g.get(0).sum().backward();
        assertArrayEquals(new double[] {3, -6, 12}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void noGradScope() {
        Tensor a = Tensor.randn(3).requiresGrad(true);
        try (var _ = Sinter.noGrad()) {
            Tensor b = a.mul(2.0);
            assertFalse(b.requiresGrad());
            try (var _ = Sinter.enableGrad()) {
                assertTrue(a.mul(2.0).requiresGrad());
            }
        }
        assertTrue(a.mul(2.0).requiresGrad());
    }

    @Test
    void detachCutsTheGraph() {
        Tensor a = Tensor.randn(3).requiresGrad(true);
        Tensor d = a.mul(2.0).detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
    }

    @Test
    void hooksSeeAndReplaceGradients() {
        Tensor a = Tensor.of(new float[] {1, 2}).requiresGrad(true);
        AtomicInteger calls = new AtomicInteger();
        Tensor.RemovableHandle h = a.registerHook(g -> { calls.incrementAndGet(); return g.mul(10.0); });
        a.mul(2.0).sum().backward();
        assertArrayEquals(new float[] {20, 20}, a.grad().toFloatArray());
        h.remove();
        a.zeroGrad();
        a.mul(2.0).sum().backward();
        assertArrayEquals(new float[] {2, 2}, a.grad().toFloatArray());
        assertEquals(1, calls.get());

        Tensor b = a.mul(1.0);
        b.registerHook(g -> g.mul(0.0));
        a.zeroGrad();
        b.sum().backward();
        assertArrayEquals(new float[] {0, 0}, a.grad().toFloatArray());
    }

    @Test
    void inPlaceOnLeafRequiringGradIsRejected() {
        Tensor a = Tensor.randn(3).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.add_(1.0));
        assertTrue(e.getMessage().contains("leaf"), e.getMessage());
        try (var _ = Sinter.noGrad()) {
            a.add_(1.0); // optimizers do this
        }
    }

    @Test
    void inPlaceOnNonLeafIsRecorded() {
        Tensor a = Tensor.of(new float[] {1, 2, 3}).requiresGrad(true);
        Tensor b = a.mul(2.0);
        b.add_(1.0);
        b.mul_(3.0);
        b.sum().backward();
        assertArrayEquals(new float[] {6, 6, 6}, a.grad().toFloatArray());
        assertEquals(2, b.storage().version());
    }

    @Test
    void gradientsOfSharedInputsDoNotAlias() {
        Tensor p = Tensor.randn(4).requiresGrad(true);
        Tensor q = Tensor.randn(4).requiresGrad(true);
        p.view(2, 2).add(q.view(2, 2)).sum().backward();
        try (var _ = Sinter.noGrad()) {
            p.grad().mul_(5.0);
        }
        assertArrayEquals(new float[] {1, 1, 1, 1}, q.grad().toFloatArray());
    }

    @Test
    void anomalyModeNamesTheOperation() {
        Tensor x = Tensor.of(new float[] {0, 1}).requiresGrad(true);
        try (var _ = Sinter.detectAnomaly()) {
            Tensor y = x.sqrt().sum();
            IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
            assertTrue(e.getMessage().contains("SqrtBackward0"), e.getMessage());
            assertNotNull(e.getCause());
        }
    }

    @Test
    void broadcastGradientsReduceToInputShape() {
        Tensor a = Tensor.randn(3, 1).requiresGrad(true);
        Tensor b = Tensor.randn(4).requiresGrad(true);
        a.add(b).sum().backward();
        assertArrayEquals(new int[] {3, 1}, a.grad().shape());
        assertArrayEquals(new float[] {4, 4, 4}, a.grad().toFloatArray());
        assertArrayEquals(new float[] {3, 3, 3, 3}, b.grad().toFloatArray());
    }

    @Test
    void mixedPrecisionGradientsKeepInputDtype() {
        Tensor a = Tensor.randn(3).requiresGrad(true);
        Tensor b = Tensor.randn(DType.FLOAT64, 3).requiresGrad(true);
        Tensor y = a.mul(b);
        assertEquals(DType.FLOAT64, y.dtype());
        y.sum().backward();
        assertEquals(DType.FLOAT32, a.grad().dtype());
        assertEquals(DType.FLOAT64, b.grad().dtype());
    }
}
