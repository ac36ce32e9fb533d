package org.sinter;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Whether a write would read or write memory it has already written: the check in-place ops run
 * before their kernel. Two questions, answered from geometry alone (so meta tensors get the same
 * answers):
 *
 * <ul>
 *   <li><b>Internal overlap</b>: two elements of the written tensor are one memory location
 *       ({@code ones(1, 3).expand(4, 3)}). Writing it depends on the kernel's visiting order, so the
 *       op refuses, as PyTorch does. The answer is exact: PyTorch only recognises zero strides and lets
 *       other self-overlapping views (overlapping {@code unfold} windows) through; Sinter refuses those too.
 *   <li><b>Overlap between the written tensor and an input</b>, with the input broadcast to the
 *       written shape. The same element-to-location map ({@code x.add_(x)}) is safe for elementwise
 *       kernels. Where both tensors are dense, any other shared memory ({@code x.mul_(x.t())},
 *       {@code x[1:].add_(x[:-1])}) is refused as PyTorch refuses it. Where one is a strided view with
 *       gaps PyTorch cannot tell and runs the kernel anyway; Sinter reads such an input from a copy,
 *       so the result is the one contiguous copies would give.
 * </ul>
 */
public final class MemoryOverlap {
    /** Above this many elements or addresses, an undecided internal overlap is assumed rather than enumerated. */
    private static final long ENUMERATION_LIMIT = 1L << 24;

    private MemoryOverlap() {}

    /** How an input's memory relates to the written tensor's. */
    public enum Relation {
        /** No memory location in common. */
        DISJOINT,
        /** Element i of the (broadcast) input is element i of the output, for every i. */
        SAME,
        /** Shared memory, both dense: refused (PyTorch's partial overlap). */
        PARTIAL,
        /** Possibly shared memory that PyTorch does not judge: read the input from a copy. */
        MAY_OVERLAP
    }

    public static String internalOverlapMessage(String op) {
        return op + ": unsupported operation: more than one element of the written-to tensor refers to a single "
                + "memory location (it overlaps itself, as an expand()ed tensor does). Please clone() the tensor before performing the operation.";
    }

    public static String partialOverlapMessage(String op) {
        return op + ": unsupported operation: some elements of the input tensor and the written-to tensor refer to "
                + "a single memory location (they overlap in memory). Please clone() the tensor before performing the operation.";
    }

    /** Whether two distinct indices of {@code t} address the same memory location. */
    public static boolean hasInternalOverlap(Tensor t) {
        return !t.isContiguous() && hasInternalOverlap(t.shape, t.strides); // the common case, without sorting dims
    }

    static boolean hasInternalOverlap(int[] shape, int[] strides) {
        int[] order = significantDimsByStride(shape, strides);
        if (order == null) return false; // empty tensor
        long extent = 0; // the largest offset reachable through the dims visited so far
        long numel = 1;
        boolean nested = true;
        for (int d : order) {
            if (strides[d] == 0) return true;
            if (strides[d] <= extent) nested = false;
            extent += (long) (shape[d] - 1) * strides[d];
            numel *= shape[d];
        }
        if (nested) return false; // each dim steps over everything the faster dims reach: all distinct
        if (extent + 1 < numel) return true; // more elements than addresses
        if (numel > ENUMERATION_LIMIT || extent >= ENUMERATION_LIMIT) return true; // undecided: refuse rather than guess
        BitSet seen = new BitSet((int) extent + 1);
        int[] index = new int[shape.length];
        for (long i = 0; i < numel; i++) {
            int offset = 0;
            for (int d = 0; d < shape.length; d++) offset += index[d] * strides[d];
            if (seen.get(offset)) return true;
            seen.set(offset);
            for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) index[d] = 0;
        }
        return false;
    }

    /**
     * How {@code in}, broadcast to {@code out}'s shape as an elementwise op reads it, shares memory
     * with {@code out}.
     */
    public static Relation relation(Tensor out, Tensor in) {
        if (out.storage != in.storage || out.numel() == 0 || in.numel() == 0) return Relation.DISJOINT;
        long outEnd = out.offset + span(out.shape, out.strides), inEnd = in.offset + span(in.shape, in.strides);
        if (outEnd < in.offset || inEnd < out.offset) return Relation.DISJOINT;
        if (in.offset == out.offset && Shape.broadcastableTo(in.shape, out.shape)) {
            int[] bs = Shape.broadcastStrides(in.shape, in.strides, out.shape);
            boolean same = true;
            for (int d = 0; d < out.shape.length && same; d++) same = out.shape[d] == 1 || bs[d] == out.strides[d];
            if (same) return Relation.SAME;
        }
        return dense(out) && dense(in) ? Relation.PARTIAL : Relation.MAY_OVERLAP;
    }

    /** The largest offset, from the first element, that an index reaches. */
    private static long span(int[] shape, int[] strides) {
        long s = 0;
        for (int d = 0; d < shape.length; d++) s += (long) (shape[d] - 1) * strides[d];
        return s;
    }

    private static boolean dense(Tensor t) {
        return t.isContiguous() || isDense(t.shape, t.strides);
    }

    /** PyTorch's non-overlapping-and-dense: a permutation of contiguous strides (size-1 dims aside). */
    static boolean isDense(int[] shape, int[] strides) {
        int[] order = significantDimsByStride(shape, strides);
        if (order == null) return true;
        long expected = 1;
        for (int d : order) {
            if (strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** The dims of size greater than one, fastest (smallest stride) first; null for an empty tensor. */
    private static int[] significantDimsByStride(int[] shape, int[] strides) {
        int n = 0;
        for (int s : shape) {
            if (s == 0) return null;
            if (s > 1) n++;
        }
        Integer[] dims = new Integer[n];
        for (int d = 0, k = 0; d < shape.length; d++) if (shape[d] > 1) dims[k++] = d;
        Arrays.sort(dims, (a, b) -> Integer.compare(strides[a], strides[b]));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = dims[i];
        return out;
    }
}
