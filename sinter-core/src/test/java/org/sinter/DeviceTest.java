package org.sinter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.kernels.UnaryKernels.UnaryFn;
import org.sinter.ops.Ints;
import org.sinter.ops.Op;
import org.sinter.ops.ReduceOps;
import org.sinter.ops.UnaryOps;
import org.sinter.ops.ViewOps;

/** Devices, the meta backend, and ops as values. */
class DeviceTest {
    @Test
    void readmeMetaExample() {
        Tensor x = Tensor.empty(DType.FLOAT32, Device.META, 64, 784);
        Tensor w = Tensor.empty(DType.FLOAT32, Device.META, 10, 784);
        assertEquals("tensor(..., device='meta', size=(64, 10))", x.matmul(w.t()).logSoftmax(1).toString());
        assertEquals("tensor(..., device='meta', size=(3,), dtype=torch.int64)", Tensor.empty(DType.INT64, Device.META, 3).toString());
    }

    @Test
    void devicesParseAndPrintAsPyTorch() {
        assertEquals(Device.CPU, Device.of("cpu"));
        assertEquals(Device.META, Device.of("META"));
        assertEquals(Device.cuda(1), Device.of("cuda:1"));
        assertEquals("cuda:1", Device.cuda(1).toString());
        assertThrows(IllegalArgumentException.class, () -> Device.of("tpu"));
        assertThrows(IllegalArgumentException.class, () -> Device.of("cuda:x"));
        assertEquals(Device.CPU, Tensor.ones(2).device());
    }

    @Test
    void toMetaKeepsShapeAndDtypeAndCannotComeBack() {
        Tensor c = Tensor.ones(DType.FLOAT64, 2, 3).transpose(0, 1);
        Tensor m = c.to(Device.META);
        assertEquals(Device.META, m.device());
        assertArrayEquals(new int[] {3, 2}, m.shape());
        assertEquals(DType.FLOAT64, m.dtype());
        assertSame(m, m.to(Device.META));
        assertTrue(assertThrows(UnsupportedOperationException.class, () -> m.to(Device.CPU)).getMessage().contains("no data"));
        assertTrue(assertThrows(IllegalStateException.class, m::toDoubleArray).getMessage().contains("meta"));
        assertTrue(assertThrows(IllegalStateException.class, () -> m.sum().item()).getMessage().contains("no data"));
    }

    @Test
    void mixingDevicesIsAnErrorExceptForScalars() {
        Tensor m = Tensor.empty(DType.FLOAT32, Device.META, 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(Tensor.ones(4, 3)));
        assertTrue(e.getMessage().startsWith("add: expected all tensors to be on the same device"), e.getMessage());
        assertEquals(Device.META, m.mul(2.0).add(Tensor.scalar(1f)).device());
    }

    @Test
    void autogradRunsOnMetaTensors() {
        Tensor x = Tensor.empty(DType.FLOAT32, Device.META, 8, 5).requiresGrad(true);
        Tensor w = Tensor.empty(DType.FLOAT32, Device.META, 5, 3).requiresGrad(true);
        Tensor loss = x.matmul(w).tanh().logSoftmax(1).mean();
        loss.backward(Tensor.empty(DType.FLOAT32, Device.META));
        assertEquals(Device.META, w.grad().device());
        assertArrayEquals(new int[] {5, 3}, w.grad().shape());
        assertArrayEquals(new int[] {8, 5}, x.grad().shape());
    }

    /** A leaf read through a transpose gets a non-contiguous gradient, which autograd copies dense: on meta too. */
    @Test
    void aGradientCopiedDenseStaysOnItsDevice() {
        Tensor leaf = Tensor.empty(DType.FLOAT32, Device.META, 5, 8).requiresGrad(true);
        leaf.t().mul(2.0).sum().backward(Tensor.empty(DType.FLOAT32, Device.META));
        assertEquals(Device.META, leaf.grad().device());
        assertTrue(leaf.grad().isContiguous());
    }

    @Test
    void metaFunctionsCheckArgumentsLikeTheKernels() {
        Tensor a = Tensor.empty(DType.FLOAT32, Device.META, 2, 3), b = Tensor.empty(DType.FLOAT32, Device.META, 4, 3);
        IllegalArgumentException meta = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        IllegalArgumentException cpu = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2, 3).add(Tensor.ones(4, 3)));
        assertEquals(cpu.getMessage(), meta.getMessage());
    }

    @Test
    void opsAreValuesThatKeyCaches() {
        Op a = new ReduceOps.Reduce(ReduceOps.Kind.SUM, Ints.of(0, 2), true, false);
        Op b = new ReduceOps.Reduce(ReduceOps.Kind.SUM, Ints.of(0, 2), true, false);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new ReduceOps.Reduce(ReduceOps.Kind.SUM, Ints.of(0, 1), true, false));
        Map<Op, String> cache = new HashMap<>();
        cache.put(new UnaryOps.Unary(UnaryFn.CLAMP, -1, 1), "clamp kernel");
        cache.put(new ViewOps.Permute(Ints.of(1, 0)), "permute");
        assertEquals("clamp kernel", cache.get(new UnaryOps.Unary(UnaryFn.CLAMP, -1, 1)));
        assertEquals("permute", cache.get(new ViewOps.Permute(Ints.of(1, 0))));
        assertEquals(null, cache.get(new UnaryOps.Unary(UnaryFn.CLAMP, -1, 2)));
    }
}
