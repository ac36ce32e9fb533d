package org.sinter.autotune.schedule;

import java.util.Arrays;

/**
 * The layout a schedule repacks an input into before the kernel reads it (TVM's cache_read with a
 * layout transform, the "packing" of GEMM libraries): dimension {@code dim} is split by
 * {@code factor}, and the packed dimensions — the original ones with {@code dim} replaced by its
 * outer part, then its inner part — are permuted by {@code order}. A weight matrix {@code B[K,N]}
 * packed with dim 1, factor 16, order {1,0,2} becomes panels {@code [N/16][K][16]}.
 */
public record Packing(int dim, int factor, int[] order) {
    public Packing {
        order = order.clone();
        if (factor < 1) throw new IllegalArgumentException("pack: factor must be >= 1, got " + factor);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] != i) throw new IllegalArgumentException("pack: order " + Arrays.toString(order) + " is not a permutation");
        }
    }

    @Override
    public String toString() {
        return "pack(dim " + dim + " by " + factor + ", order " + Arrays.toString(order) + ")";
    }
}
