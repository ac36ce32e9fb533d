package org.sinter;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TensorSmokeTest {
    @Test
    void printsLikePyTorch() {
        assertEquals("tensor([[1., 2.],\n        [3., 4.]])", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toString());
        assertEquals("tensor(1.5000)", Tensor.scalar(1.5).toString());
        assertEquals("tensor([1, 2, 3])", Tensor.arange(1, 4).toString());
        assertEquals("tensor([0.5000, 1.2500], dtype=torch.float64)", Tensor.of(new double[] {0.5, 1.25}).toString());
    }

    @Test
    void broadcastingAndAutograd() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {10, 20, 30}).requiresGrad(true);
        Tensor y = a.mul(b).add(a.exp()).sum();
        y.backward();
        float[] ga = a.grad().toFloatArray();
        assertEquals(10 + Math.exp(1), ga[0], 1e-4);
        assertArrayEquals(new float[] {5, 7, 9}, b.grad().toFloatArray(), 1e-5f);
    }

    @Test
    void matmulAndViews() {
        Tensor a = Tensor.arange(0, 6, 1).to(DType.FLOAT32).reshape(2, 3);
        Tensor b = Tensor.arange(0, 6, 1).to(DType.FLOAT32).reshape(3, 2);
        assertArrayEquals(new float[] {10, 13, 28, 40}, a.matmul(b).toFloatArray());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, a.t().contiguous().toFloatArray());
        assertArrayEquals(new float[] {5, 14}, a.matmul(Tensor.of(new float[] {0, 1, 2})).toFloatArray());
    }

    @Test
    void inPlaceVersionCheck() {
        Tensor x = Tensor.randn(3).requiresGrad(true);
        Tensor y = x.exp();
        Tensor z = y.mul(2);
        y.add_(1.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> z.sum().add(y.sum()).backward());
        assertTrue(e.getMessage().contains("modified by an in-place operation"), e.getMessage());
    }

    @Test
    void reductions() {
        Tensor a = Tensor.of(new float[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertArrayEquals(new float[] {5, 7, 9}, a.sum(0, false).toFloatArray());
        assertArrayEquals(new float[] {3, 4}, a.mean(1, false).toFloatArray());
        ValuesIndices m = a.max(1, false);
        assertArrayEquals(new float[] {5, 6}, m.values().toFloatArray());
        assertArrayEquals(new long[] {1, 2}, m.indices().toLongArray());
        assertEquals(21, a.sum().item(), 0);
        assertEquals(3.5, a.var().item(), 1e-6);
    }
}
