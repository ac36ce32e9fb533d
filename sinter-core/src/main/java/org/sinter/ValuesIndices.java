package org.sinter;

/** The result of {@code max(dim)}/{@code min(dim)}: the values and the int64 indices where they occur. */
public record ValuesIndices(Tensor values, Tensor indices) {}
