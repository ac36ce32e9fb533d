package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.sinter.distributed.ddp.Float8;

/** The 1-4-3 8-bit float: known codes, rounding to nearest even, saturation, every code round-trips. */
class Float8Test {
    @Test
    void knownValues() {
        assertEquals(0x38, Float8.encode(1f) & 0xff);
        assertEquals(0x7e, Float8.encode(448f) & 0xff);
        assertEquals(0x01, Float8.encode(0x1p-9f) & 0xff);
        assertEquals(0x08, Float8.encode(0x1p-6f) & 0xff);
        assertEquals(0xc0, Float8.encode(-2f) & 0xff);
        assertEquals(0x7f, Float8.encode(Float.NaN) & 0xff);
        assertEquals(448f, Float8.decode((byte) 0x7e));
        assertEquals(0.875f * 0x1p-6f, Float8.decode((byte) 0x07)); // largest subnormal
        assertTrue(Float.isNaN(Float8.decode((byte) 0xff)));
    }

    @Test
    void roundsToNearestEvenAndSaturates() {
        assertEquals(1f, Float8.decode(Float8.encode(1.0625f)));    // halfway to 1.125: even mantissa 0
        assertEquals(1.25f, Float8.decode(Float8.encode(1.1875f))); // halfway between 1.125 and 1.25: even 2
        assertEquals(1.125f, Float8.decode(Float8.encode(1.1f)));
        assertEquals(448f, Float8.decode(Float8.encode(1e6f)));
        assertEquals(-448f, Float8.decode(Float8.encode(Float.NEGATIVE_INFINITY)));
        assertEquals(0f, Float8.decode(Float8.encode(0x1p-11f)));   // below half the smallest subnormal
        assertEquals(0x1p-6f, Float8.decode(Float8.encode(0.0155f))); // rounds up into the first normal binade
    }

    @Test
    void everyCodeRoundTripsAndOrderIsMonotonic() {
        float prev = -Float.MAX_VALUE;
        for (int c = 0; c < 256; c++) {
            if ((c & 0x7f) == 0x7f) continue;
            float v = Float8.decode((byte) c);
            assertEquals(c, Float8.encode(v) & 0xff, "code " + c + " = " + v);
            if (c < 0x80) {
                assertTrue(v > prev || c == 0, "not increasing at " + c);
                prev = v;
            }
        }
    }
}
