package org.sinter.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.sinter.Device;
import org.sinter.Tensor;
import org.sinter.cuda.driver.CudaException;

/** What runs everywhere: the messages where CUDA is missing, and the pure-Java parts of the backend. */
class CudaUnavailableTest {
    @Test
    @DisabledIf("org.sinter.cuda.GpuTests#available")
    void aMissingGpuIsAClearError() {
        String why = Cuda.unavailableReason();
        assertTrue(why != null && !why.isBlank());
        CudaException e = assertThrows(CudaException.class, () -> Tensor.ones(2, 3).to(Device.cuda(0)));
        assertTrue(e.getMessage().startsWith("CUDA is not available: "), e.getMessage());
    }

    @Test
    void dimensionsContiguousInEveryOperandAreMerged() {
        // out [2,3,4] dense and a broadcast row: the two outer dims merge (stride 0 in the row), the inner one stays
        int[][] st = {{12, 4, 1}, {0, 0, 1}};
        int[] shape = Pointwise.collapse(new int[] {2, 3, 4}, st);
        assertArrayEquals(new int[] {6, 4}, shape);
        assertArrayEquals(new int[] {4, 1}, st[0]);
        assertArrayEquals(new int[] {0, 1}, st[1]);
        int[][] dense = {{12, 4, 1}, {12, 4, 1}};
        assertArrayEquals(new int[] {24}, Pointwise.collapse(new int[] {2, 3, 4}, dense));
        int[][] ones = {{4, 4, 1}};
        assertArrayEquals(new int[] {4}, Pointwise.collapse(new int[] {1, 1, 4}, ones));
        int[][] transposed = {{1, 3}};
        assertArrayEquals(new int[] {3, 2}, Pointwise.collapse(new int[] {3, 2}, transposed));
        assertArrayEquals(new int[] {1, 3}, transposed[0]);
    }

    @Test
    void sizeClassesRoundUp() {
        assertEquals(512, CachingAllocator.roundSize(1));
        assertEquals(1024, CachingAllocator.roundSize(513));
        assertEquals(2L << 20, CachingAllocator.roundSize((2L << 20) - 5));
        assertEquals((1L << 20) + (128 << 10), CachingAllocator.roundSize((1L << 20) + 1));
    }
}
