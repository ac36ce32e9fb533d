package org.sinter.kernels;

/** Elementwise comparisons; the kernels write 1/0 into a byte (bool) array. NaN compares as IEEE. */
public enum CompareFn {
    EQ, NE, LT, LE, GT, GE
}
