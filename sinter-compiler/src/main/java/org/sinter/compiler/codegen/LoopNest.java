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
        return of(shape, operandShapes, false);
    }

    /**
     * With {@code rows}: the last dimension stays a loop of its own, innermost, and at least one
     * loop runs outside it (for kernels that work a row at a time).
     */
    public static LoopNest of(int[] shape, List<int[]> operandShapes, boolean rows) {
        if (rows) {
            int last = shape.length - 1;
            LoopNest head = of(Arrays.copyOf(shape, last), prefixes(operandShapes, shape), false);
            int k = operandShapes.size();
            int[][] strides = new int[k][head.rank() + 1];
            for (int i = 0; i < k; i++) {
                int[] s = operandShapes.get(i);
                int[] full = Shape.broadcastStrides(s, Shape.contiguousStrides(s), shape);
                System.arraycopy(head.strides()[i], 0, strides[i], 0, head.rank());
                // The outer loops step over whole rows of a broadcast-to-shape operand.
                for (int l = 0; l < head.rank(); l++) strides[i][l] *= rowWidth(s, shape);
                strides[i][head.rank()] = full[last];
            }
            int[] sizes = Arrays.copyOf(head.sizes(), head.rank() + 1);
            sizes[head.rank()] = shape[last];
            return new LoopNest(sizes, strides);
        }
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

    /** Each operand's shape without the last of {@code shape}'s dims (broadcast-aligned to it). */
    private static List<int[]> prefixes(List<int[]> operandShapes, int[] shape) {
        List<int[]> out = new ArrayList<>();
        for (int[] s : operandShapes) {
            int lead = shape.length - s.length; // s aligns to the right of shape
            int[] p = new int[shape.length - 1];
            for (int d = 0; d < p.length; d++) p[d] = d - lead >= 0 ? s[d - lead] : 1;
            out.add(p);
        }
        return out;
    }

    /** How many elements one step along the row-prefix dims moves in operand {@code s}: its last dim's extent (1 when broadcast). */
    private static int rowWidth(int[] s, int[] shape) {
        return s.length == 0 ? 1 : s[s.length - 1];
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
