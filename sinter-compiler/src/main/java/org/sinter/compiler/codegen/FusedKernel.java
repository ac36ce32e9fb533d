package org.sinter.compiler.codegen;

/**
 * A generated loop nest computing one fusion group: reads the group's inputs, writes its outputs,
 * all float32 arrays, over the rows {@code [from, to)} of its outermost dimension (so the caller
 * can split the rows across the intra-op pool).
 *
 * @param in      input arrays
 * @param inOff   each input's offset
 * @param out     output arrays
 * @param outOff  each output's offset
 * @param scalars the group's scalar constants, in order
 * @param sizes   the loop nest's extents, outermost first
 * @param strides per operand (inputs, then outputs), its stride in each loop dimension
 */
public interface FusedKernel {
    void run(float[][] in, int[] inOff, float[][] out, int[] outOff, float[] scalars, int[] sizes, int[][] strides, int from, int to);
}
