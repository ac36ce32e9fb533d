package org.sinter.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.sinter.Tensor;

/** Exact tensor comparison for tests: same dtype, same shape, same bits (NaN payloads and -0.0 included). */
final class TensorAssert {
    private TensorAssert() {}

    static void assertBitsEqual(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertArrayEquals(bits(expected), bits(actual), what + ": values");
    }

    /** Each element's raw bits, row-major. */
    static long[] bits(Tensor t) {
        Tensor c = t.contiguous();
        int n = org.sinter.Shape.numel(c), off = c.storageOffset();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            int j = off + i;
            out[i] = switch (c.dtype()) {
                case FLOAT32 -> Float.floatToRawIntBits(c.storage().floats()[j]);
                case FLOAT64 -> Double.doubleToRawLongBits(c.storage().doubles()[j]);
                case INT32 -> c.storage().ints()[j];
                case INT64 -> c.storage().longs()[j];
                case BOOL -> c.storage().bytes()[j];
                case BFLOAT16, FLOAT16 -> c.storage().shorts()[j];
            };
        }
        return out;
    }
}
