package org.sinter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Views that would reach outside their storage, and sizes past what a tensor holds (issue 8, items 5 and 7). */
class ViewBoundsAndSizesTest {
    @Test
    void narrowChecksItsBoundsAsPyTorchDoes() {
        Tensor x = Tensor.randn(2, 3);
        var past = assertThrows(IndexOutOfBoundsException.class, () -> x.narrow(1, 2, 5));
        assertTrue(past.getMessage().contains("start (2) + length (5) exceeds dimension size (3)"), past.getMessage());
        var negative = assertThrows(IllegalArgumentException.class, () -> x.narrow(1, 0, -1));
        assertTrue(negative.getMessage().contains("length must be non-negative"), negative.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> x.narrow(1, -4, 1));
        assertArrayEquals(new int[] {2, 1}, x.narrow(1, -1, 1).shape());
        assertArrayEquals(new int[] {2, 0}, x.narrow(1, 3, 0).shape());
        assertArrayEquals(x.select(1, 2).toFloatArray(), x.narrow(1, -1, 1).reshape(2).toFloatArray());
    }

    @Test
    void viewOfRefusesGeometryOutsideTheStorage() {
        Tensor x = Tensor.zeros(4);
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.viewOf(x, new int[] {3}, new int[] {2}, 0));
        assertTrue(e.getMessage().startsWith("viewOf: sizes [3], strides [2] and storage offset 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.viewOf(x, new int[] {2}, new int[] {1}, -1));
        assertThrows(IllegalArgumentException.class, () -> x.asStrided(new int[] {2}, new int[] {-1}, 1));
        assertArrayEquals(new int[] {0, 5}, Tensor.viewOf(x, new int[] {0, 5}, new int[] {9, 9}, 3).shape());
    }

    @Test
    void numelCountsPast2To31() {
        assertEquals(10_000_000_000L, Tensor.ones(1, 1).expand(100000, 100000).numel());
        assertEquals(250_005_000_000_000L, Tensor.ones(1, 1).expand(100000, 100000).unfold(0, 50000, 1).numel());
    }

    @Test
    void oversizedResultsGetOneClearError() {
        assertTooMany(() -> Tensor.arange(0, (long) 1e10));
        assertTooMany(() -> Tensor.arange(0.0, 1e10, 1.0));
        assertTooMany(() -> Tensor.ones(1, 1).repeat(100000, 100000));
        assertTooMany(() -> Tensor.ones(1, 1).expand(100000, 100000).sum());
        assertTooMany(() -> Tensor.ones(1, 1).expand(100000, 100000).contiguous());
        Tensor big = Tensor.ones(1).expand(1 << 30);
        assertTooMany(() -> Tensor.cat(new Tensor[] {big, big, big}, 0));
        assertTooMany(() -> Tensor.zeros(100000, 100000));
        assertTooMany(() -> Tensor.ones(1, 1).expand(100000, 100000).reshape(-1));
    }

    private static void assertTooMany(org.junit.jupiter.api.function.Executable call) {
        var e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains("too many elements"), e.getMessage());
    }
}
