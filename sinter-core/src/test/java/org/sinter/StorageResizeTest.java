package org.sinter;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** {@link Storage#resize}: freeing a saved tensor's storage and refilling it before backward. */
class StorageResizeTest {
    @Test
    void aFreedAndRefilledStorageServesBackward() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor y = x.mul(x).sum(); // saves x for backward
        int version = x.storage().version();
        x.storage().resize(0);
        assertEquals(0, x.storage().length());
        assertEquals(0, ((float[]) x.storage().array()).length);
        x.storage().resize(4);
        assertArrayEquals(new float[] {0, 0, 0, 0}, (float[]) x.storage().array(), "a grown storage is zeroed");
        System.arraycopy(new float[] {1, 2, 3, 4}, 0, (float[]) x.storage().array(), 0, 4);
        assertEquals(version, x.storage().version(), "resizing is not an in-place write");
        y.backward();
        assertArrayEquals(new float[] {2, 4, 6, 8}, x.grad().toFloatArray(), 0f);
    }

    @Test
    void resizeKeepsThePrefixAndRejectsNegativeLengths() {
        Tensor t = Tensor.of(new float[] {5, 6, 7}, 3);
        t.storage().resize(5);
        assertArrayEquals(new float[] {5, 6, 7, 0, 0}, (float[]) t.storage().array(), 0f);
        t.storage().resize(2);
        assertArrayEquals(new float[] {5, 6}, (float[]) t.storage().array(), 0f);
        var e = assertThrows(IllegalArgumentException.class, () -> t.storage().resize(-1));
        assertTrue(e.getMessage().contains("negative length -1"), e.getMessage());
    }
}
