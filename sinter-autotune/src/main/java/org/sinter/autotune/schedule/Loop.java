package org.sinter.autotune.schedule;

import java.util.List;

/**
 * One loop of a scheduled nest. {@code fusedOf} names the loops a fused loop stands for, outermost first (they
 * become variables derived from it by division); it is empty otherwise.
 */
public record Loop(String name, int extent, boolean reduce, Kind kind, List<String> fusedOf, List<Integer> fusedExtents) {
    /** How the loop runs (TVM's iteration annotations). */
    public enum Kind { SERIAL, PARALLEL, UNROLLED, VECTORIZED }

    public Loop {
        fusedOf = List.copyOf(fusedOf);
        fusedExtents = List.copyOf(fusedExtents);
    }

    static Loop of(String name, int extent, boolean reduce) {
        return new Loop(name, extent, reduce, Kind.SERIAL, List.of(), List.of());
    }

    Loop with(Kind k) {
        return new Loop(name, extent, reduce, k, fusedOf, fusedExtents);
    }
}
