package org.sinter.autotune.lower;

import java.util.Arrays;
import org.sinter.autotune.schedule.Packing;
import org.sinter.autotune.te.Placeholder;

/**
 * An input as the kernel reads it: zero-padded by {@code padLo}/{@code padHi} per dimension (for
 * padded loads: a convolution's halo is materialised, so the kernel has no bounds checks), then
 * repacked by {@code packing} (or not). {@code shape} is the final, packed shape.
 */
public record StagedBuffer(Placeholder source, int[] padLo, int[] padHi, Packing packing, int[] paddedShape, int[] shape) {
    public String name() {
        return source.name();
    }

    /** Whether the kernel reads the input as it is (no copy). */
    public boolean identity() {
        if (packing != null) return false;
        for (int i = 0; i < padLo.length; i++) if (padLo[i] != 0 || padHi[i] != 0) return false;
        return true;
    }

    public int size() {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    @Override
    public String toString() {
        return name() + Arrays.toString(shape) + (identity() ? "" : " (staged from " + source + ")");
    }
}
