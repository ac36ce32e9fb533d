package org.sinter.compiler.codegen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sinter.Shape;

/**
 * The loops a fusion group runs: its shape with size-1 dimensions dropped and neighbouring
 * dimensions merged wherever every operand steps through them as one (TensorIterator's
 * coalescing), so {@code [64, 128] + [128]} is two loops and {@code [64, 128] · [64, 128]} one.
 * Operands are dense row-major tensors broadcast to the shape; their strides in each loop are
 * what the kernel reads (0 for a broadcast dimension).
 *
 * @param sizes   extents, outermost first (at least one)
 * @param strides per operand, the stride in each loop
 */
public record LoopNest(int[] sizes, int[][] strides) {
    /** The nest for operands of the given shapes (each broadcast to {@code shape}). */
    public static LoopNest of(int[] shape, List<int[]> operandShapes) {
        int k = operandShapes.size();
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) if (shape[d] != 1) dims.add(d);
        int[][] full = new int[k][];
        for (int i = 0; i < k; i++) {
            int[] s = operandShapes.get(i);
            full[i] = Shape.broadcastStrides(s, Shape.contiguousStrides(s), shape);
        }
        List<Integer> sizes = new ArrayList<>();
        List<int[]> strides = new ArrayList<>(); // per loop: the operands' strides
        for (int d : dims) {
            int[] st = new int[k];
            for (int i = 0; i < k; i++) st[i] = full[i][d];
            int last = sizes.size() - 1;
            if (last >= 0 && mergeable(strides.get(last), st, shape[d])) {
                sizes.set(last, sizes.get(last) * shape[d]);
                strides.set(last, st);
            } else {
                sizes.add(shape[d]);
                strides.add(st);
            }
        }
        if (sizes.isEmpty()) { // a scalar or all-ones shape: one loop of one
            sizes.add(1);
            strides.add(new int[k]);
        }
        int[][] perOperand = new int[k][sizes.size()];
        for (int l = 0; l < sizes.size(); l++) for (int i = 0; i < k; i++) perOperand[i][l] = strides.get(l)[i];
        return new LoopNest(sizes.stream().mapToInt(Integer::intValue).toArray(), perOperand);
    }

    /** Whether an outer loop with strides {@code outer} and the next one (strides {@code inner}, extent n) are one loop for every operand. */
    private static boolean mergeable(int[] outer, int[] inner, int n) {
        for (int i = 0; i < outer.length; i++) if (outer[i] != inner[i] * n) return false;
        return true;
    }

    public int rank() {
        return sizes.length;
    }

    /** Which strides are zero: the part of the nest the generated code depends on (extents and strides are run-time arguments). */
    public String pattern() {
        StringBuilder sb = new StringBuilder().append(rank()).append(':');
        for (int[] s : strides) {
            for (int x : s) sb.append(x == 0 ? '0' : x == 1 ? '1' : 's');
            sb.append('/');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return Arrays.toString(sizes) + " " + Arrays.deepToString(strides);
    }
}
