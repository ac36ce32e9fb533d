package org.sinter;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Type promotion and the half-precision storage types. */
class DTypeTest {
    @Test
    void promotionFollowsPyTorch() {
        Tensor i32 = Tensor.of(new int[] {1, 2});
        Tensor f32 = Tensor.of(new float[] {1, 2});
        Tensor f64 = Tensor.of(new double[] {1, 2});
        Tensor b = Tensor.of(new boolean[] {true, false});
        assertEquals(DType.FLOAT32, i32.add(f32).dtype());
        assertEquals(DType.FLOAT64, f32.add(f64).dtype());
        assertEquals(DType.INT32, i32.add(2).dtype());
        assertEquals(DType.FLOAT32, i32.add(2.5).dtype());
        assertEquals(DType.FLOAT32, i32.div(i32).dtype());
        assertEquals(DType.INT64, b.add(1).dtype());
        assertEquals(DType.BOOL, b.add(b).dtype());
        assertEquals(DType.FLOAT32, f32.add(Tensor.scalar(1, DType.FLOAT64)).dtype(), "0-d tensors do not decide the type");
        assertEquals(DType.FLOAT64, i32.add(Tensor.scalar(1, DType.FLOAT64)).dtype(), "...unless their category is higher");
        assertEquals(DType.FLOAT32, DType.promote(DType.BFLOAT16, DType.FLOAT16));
        assertEquals(DType.BOOL, f32.gt(1.5).dtype());
    }

    @Test
    void halfTypesStoreHalfAndComputeInFloat() {
        Tensor h = Tensor.of(new float[] {1.0f, 2.5f, 1e-3f}).to(DType.BFLOAT16);
        assertEquals(DType.BFLOAT16, h.dtype());
        Tensor s = h.add(h);
        assertEquals(DType.BFLOAT16, s.dtype());
        float[] v = s.toFloatArray();
        assertEquals(2.0f, v[0]);
        assertEquals(5.0f, v[1]);
        assertEquals(2e-3f, v[2], 2e-5f, "bfloat16 keeps ~3 significant digits");
        Tensor f16 = Tensor.of(new float[] {0.1f}).to(DType.FLOAT16);
        assertEquals(0.0999755859375, f16.item(), 0, "float16 rounds to nearest");
        assertEquals(DType.FLOAT32, h.add(f16).dtype());
        Tensor g = Tensor.of(new float[] {1, 2}).to(DType.FLOAT16).requiresGrad(true);
        g.exp().sum().backward();
        assertEquals(DType.FLOAT16, g.grad().dtype());
    }

    @Test
    void intOpsStayExact() {
        Tensor a = Tensor.of(new long[] {Long.MAX_VALUE - 1, -7});
        assertArrayEquals(new long[] {Long.MAX_VALUE, -6}, a.add(1).toLongArray());
        assertArrayEquals(new long[] {-4, 3}, Tensor.of(new long[] {-7, 7}).floorDivide(Tensor.of(new long[] {2, 2})).toLongArray());
        assertArrayEquals(new long[] {1, 1}, Tensor.of(new long[] {-7, 7}).remainder(Tensor.of(new long[] {2, 2})).toLongArray());
        assertEquals(DType.INT64, Tensor.of(new int[] {1, 2}).sum().dtype());
    }
}
