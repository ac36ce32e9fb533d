package org.sinter.overlap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Device;
import org.sinter.MemoryOverlap;
import org.sinter.Tensor;

/** The in-place overlap cases found by hand (issue 8, item 4) and the mechanism's corners. */
class InPlaceOverlapTest {
    private static Tensor square() {
        return Tensor.arange(0, 9, 1, DType.FLOAT32).reshape(3, 3);
    }

    @Test
    void expandedOutputsAreRefusedNotSummedTwice() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(1, 3).expand(4, 3).add_(1.0));
        assertTrue(e.getMessage().startsWith("add_: unsupported operation: more than one element of the written-to tensor"), e.getMessage());
        // fill_ writes one value, so aliased elements agree: allowed, as in PyTorch.
        Tensor base = Tensor.ones(1, 3);
        base.expand(4, 3).fill_(2.0);
        assertArrayEquals(new float[] {2, 2, 2}, base.toFloatArray());
    }

    @Test
    void transposedInputsOfTheSameMemoryAreRefused() {
        Tensor x = square();
        var mul = assertThrows(IllegalArgumentException.class, () -> x.mul_(x.t()));
        assertTrue(mul.getMessage().startsWith("mul_: unsupported operation: some elements of the input tensor and the written-to tensor"));
        var copy = assertThrows(IllegalArgumentException.class, () -> x.copy_(x.t()));
        assertTrue(copy.getMessage().startsWith("copy_: unsupported operation"));
        assertArrayEquals(square().toFloatArray(), x.toFloatArray(), "a refused op writes nothing");
        // The same elements are safe: x.add_(x) doubles.
        assertArrayEquals(square().mul(2.0).toFloatArray(), x.add_(x).toFloatArray());
    }

    @Test
    void possiblyAliasedStridedInputsAreReadFromACopy() {
        // Column 0 of a 4x4 grid, shifted down by one row: PyTorch 1.13 smears the first value down the column.
        Tensor grid = Tensor.arange(0, 16, 1, DType.FLOAT32).reshape(4, 4);
        grid.slice(0, 1, 4, 1).select(1, 0).add_(grid.slice(0, 0, 3, 1).select(1, 0));
        assertArrayEquals(new float[] {0, 4, 12, 20}, grid.select(1, 0).toFloatArray());
    }

    @Test
    void overlappingWindowsAreDetectedWithoutZeroStrides() {
        Tensor x = Tensor.arange(0, 10, 1, DType.FLOAT32);
        assertTrue(MemoryOverlap.hasInternalOverlap(x.unfold(0, 2, 1)));
        assertFalse(MemoryOverlap.hasInternalOverlap(x.unfold(0, 2, 2)));
        // Strides 2 and 3 over 3x3 reach 9 distinct elements: not nested, yet no overlap.
        assertFalse(MemoryOverlap.hasInternalOverlap(Tensor.zeros(11).asStrided(new int[] {3, 3}, new int[] {2, 3}, 0)));
        assertThrows(IllegalArgumentException.class, () -> x.unfold(0, 2, 1).mul_(2.0));
    }

    @Test
    void metaTensorsGetTheSameAnswers() {
        Tensor m = Tensor.empty(DType.FLOAT32, Device.META, 3, 3);
        assertThrows(IllegalArgumentException.class, () -> m.mul_(m.t()));
        assertThrows(IllegalArgumentException.class, () -> Tensor.empty(DType.FLOAT32, Device.META, 1, 3).expand(4, 3).neg_());
    }

    @Test
    void randomFillsRefuseSelfOverlappingTensors() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1, 3).expand(2, 3).uniform_(0, 1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1, 3).expand(2, 3).normal_(0, 1));
    }
}
