package org.sinter.autotune.te;

import java.util.Arrays;

/**
 * An input tensor of a compute declaration: dense row-major float32 of {@code shape}. A
 * {@code constant} one (a layer's weights) may be repacked once, ahead of every call, by a
 * schedule's packing primitive; a non-constant one is repacked on each call, inside the timing.
 */
public record Placeholder(String name, int[] shape, boolean constant) {
    public Placeholder {
        shape = shape.clone();
        for (int d : shape) if (d <= 0) throw new IllegalArgumentException("placeholder " + name + ": bad shape " + Arrays.toString(shape));
    }

    public int size() {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Row-major strides of {@code shape}. */
    public int[] strides() {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Placeholder p && p.name.equals(name) && Arrays.equals(p.shape, shape) && p.constant == constant;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
