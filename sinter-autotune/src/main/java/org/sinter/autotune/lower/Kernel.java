package org.sinter.autotune.lower;

import java.util.List;

/**
 * A runnable candidate of a template: the one generated loop nest of most templates
 * ({@link BuiltKernel}), or a generated nest between fixed stages (the Winograd template's
 * transforms around its products, {@link WinogradKernel}). Inputs are dense, in the workload
 * declaration's order. Not for concurrent use.
 */
public interface Kernel {
    /** Prepares the constant inputs (weights) once, ahead of the calls, as a compiled model does. */
    void prepareConstants(List<float[]> inputs);

    /** Computes the workload's output into {@code out} (at {@code outOff}) from the inputs (at their offsets). */
    void run(List<float[]> inputs, int[] inputOffsets, float[] out, int outOff);
}
