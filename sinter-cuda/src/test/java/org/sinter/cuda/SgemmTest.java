package org.sinter.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;

/** The GPU's products, conversions, allocator and autograd against the CPU. Skipped without a GPU. */
@EnabledIf("org.sinter.cuda.GpuTests#available")
class SgemmTest {
    private static final Device GPU = Device.cuda(0);

    private static void close(Tensor expected, Tensor actual, double tol, String what) {
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= tol * (1 + Math.abs(e[i])), what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
        }
    }

    @Test
    void everyVariantAndTransposeMatchesTheCpu() {
        Generator g = new Generator(7);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {64, 64, 64}, {130, 129, 67}, {257, 300, 33}};
        CudaDevice dev = Cuda.device(0);
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Tensor a = g.randn(DType.FLOAT32, ta ? new int[] {k, m} : new int[] {m, k});
                    Tensor b = g.randn(DType.FLOAT32, tb ? new int[] {n, k} : new int[] {k, n});
                    Tensor expected = (ta ? a.t() : a).matmul(tb ? b.t() : b);
                    Tensor da = a.to(GPU), db = b.to(GPU);
                    for (CudaBlas.Variant v : CudaBlas.Variant.values()) {
                        Tensor c = Tensor.empty(DType.FLOAT32, GPU, m, n);
                        CudaBlas.sgemm(dev, v, m, n, k, 1f,
                                new CudaBlas.Operand(CudaBackend.address(da), ta ? m : k, 0, ta),
                                new CudaBlas.Operand(CudaBackend.address(db), tb ? k : n, 0, tb), 0f, CudaBackend.address(c), n, 0, 1);
                        close(expected, c, 1e-4, v + " " + m + "x" + n + "x" + k + (ta ? " Aᵀ" : "") + (tb ? " Bᵀ" : ""));
                    }
                }
            }
        }
    }

    @Test
    void matmulOnTransposedViewsAndBatches() {
        Generator g = new Generator(3);
        Tensor a = g.randn(DType.FLOAT32, 4, 33, 17), b = g.randn(DType.FLOAT32, 4, 21, 33);
        Tensor expected = a.transpose(1, 2).matmul(b.transpose(1, 2));
        close(expected, a.to(GPU).transpose(1, 2).matmul(b.to(GPU).transpose(1, 2)), 1e-4, "bmm of transposed views");
        Tensor x = g.randn(DType.FLOAT64, 9, 13), y = g.randn(DType.FLOAT64, 13, 5);
        close(x.matmul(y), x.to(GPU).matmul(y.to(GPU)), 1e-10, "float64 matmul");
    }

    @Test
    void copiesKeepEveryDtypeExact() {
        for (DType dt : DType.values()) {
            Tensor t = Tensor.arange(0, 24, 1).reshape(2, 3, 4).to(dt);
            Tensor back = t.to(GPU).to(Device.CPU);
            assertArrayEquals(t.toDoubleArray(), back.toDoubleArray(), dt.name());
            assertEquals(GPU, t.to(GPU).device());
        }
        Tensor s = Tensor.arange(0, 6, 1).reshape(2, 3).to(GPU);
        assertEquals(5.0, s.get(1, 2));
        assertEquals(15.0, s.sum().item());
        assertTrue(s.toString().contains("device='cuda:0'"), s.toString());
    }

    @Test
    void theAllocatorReusesFreedBlocks() {
        CachingAllocator a = Cuda.device(0).allocator();
        long before = a.memoryAllocated();
        Tensor t = Tensor.empty(DType.FLOAT32, GPU, 1 << 20);
        long held = a.memoryAllocated();
        assertTrue(held >= before + (4 << 20));
        long reserved = a.memoryReserved();
        long[] counts = a.allocationCounts();
        t = null;
        for (int i = 0; i < 20 && a.memoryAllocated() > held - (4 << 20); i++) {
            System.gc();
            try { Thread.sleep(20); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }
        // Other tests' garbage may go back at the same time: at least this block did.
        assertTrue(a.memoryAllocated() <= held - (4 << 20), "the block returns to the pool once its tensor is unreachable");
        Tensor again = Tensor.empty(DType.FLOAT32, GPU, 1 << 20);
        assertEquals(reserved, a.memoryReserved(), "a same-size request reuses the cached block");
        assertEquals(counts[1] + 1, a.allocationCounts()[1]);
        assertTrue(again.numel() > 0);
        a.emptyCache();
        assertTrue(a.memoryReserved() <= reserved);
    }

    @Test
    void autogradRunsUnchangedOnTheGpu() {
        Generator g = new Generator(11);
        Tensor x = g.randn(DType.FLOAT32, 16, 10), w = g.randn(DType.FLOAT32, 10, 6), b = g.randn(DType.FLOAT32, 6);
        Tensor[] cpu = grads(x, w, b), gpu;
        try (var _ = Sinter.noGrad()) {
            x = x.to(GPU);
            w = w.to(GPU);
            b = b.to(GPU);
        }
        gpu = grads(x, w, b);
        for (int i = 0; i < cpu.length; i++) close(cpu[i], gpu[i], 1e-4, "gradient " + i);
        assertEquals(GPU, gpu[1].device());
    }

    private static Tensor[] grads(Tensor x, Tensor w, Tensor b) {
        Tensor wl = w.detach().requiresGrad(true), bl = b.detach().requiresGrad(true);
        Tensor loss = x.matmul(wl).add(bl).relu().logSoftmax(1).mean().neg();
        loss.backward();
        return new Tensor[] {loss, wl.grad(), bl.grad()};
    }

    @Test
    void gradientsFlowBackAcrossTheCopy() {
        Tensor x = Tensor.ones(3, 4).requiresGrad(true);
        Tensor y = x.to(GPU).mul(2.0).sum();
        y.backward();
        assertEquals(Device.CPU, x.grad().device());
        assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, x.grad().toFloatArray());
    }

    @Test
    void splitKAndPerSampleWeightGradientsMatchTheCpu() {
        Generator g = new Generator(9);
        // A long-K product with few output tiles takes the split-K path (as a linear layer on flattened features does).
        Tensor a = g.randn(DType.FLOAT32, 64, 9216), b = g.randn(DType.FLOAT32, 9216, 128);
        close(a.matmul(b), a.to(GPU).matmul(b.to(GPU)), 1e-3, "split-K 64x128x9216");
        Tensor odd = g.randn(DType.FLOAT32, 5, 5003), oddB = g.randn(DType.FLOAT32, 5003, 7);
        close(odd.matmul(oddB), odd.to(GPU).matmul(oddB.to(GPU)), 1e-3, "split-K with a remainder slice");
        close(odd.matmul(oddB.t().contiguous().t()), odd.to(GPU).matmul(oddB.t().contiguous().to(GPU).t()), 1e-3, "split-K, B transposed");
    }

    @Test
    void randomFillsAreSeededAndDistributedOnTheGpu() {
        Tensor u1 = new Generator(42).rand(DType.FLOAT32, GPU, 1 << 16), u2 = new Generator(42).rand(DType.FLOAT32, GPU, 1 << 16);
        assertArrayEquals(u1.toFloatArray(), u2.toFloatArray(), "the same seed gives the same numbers");
        double mean = u1.mean().item(), min = u1.min().item(), max = u1.max().item();
        assertTrue(Math.abs(mean - 0.5) < 0.01 && min >= 0 && max < 1, "uniform: mean " + mean + ", range " + min + ".." + max);
        Tensor n = Tensor.empty(DType.FLOAT64, GPU, 1 << 16);
        org.sinter.ops.RandomOps.normal_(n, 2, 3, new Generator(1));
        double m = n.mean().item(), s = n.std().item();
        assertTrue(Math.abs(m - 2) < 0.05 && Math.abs(s - 3) < 0.05, "normal(2, 3): mean " + m + ", std " + s);
    }
}
