package org.sinter.autotune.te;

/** An iteration axis of a compute declaration: a spatial one indexes the output, a reduce one is summed over. */
public record Axis(String name, int extent, boolean reduce) {
    public Axis {
        if (extent <= 0) throw new IllegalArgumentException("axis " + name + ": extent must be positive, got " + extent);
    }
}
