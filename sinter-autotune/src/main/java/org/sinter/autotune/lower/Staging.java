package org.sinter.autotune.lower;

import org.sinter.autotune.schedule.Packing;

/**
 * Copies an input into its {@link StagedBuffer} layout: zero padding around it and the packing's
 * split and permutation. Each source dimension adds a precomputed offset table, so a copy is one
 * table add per element (no division in the loop). The halo is never written, so a reused
 * destination keeps its zeros.
 */
final class Staging {
    private final int[] shape;
    private final int[][] tables;

    Staging(StagedBuffer b) {
        shape = b.source().shape();
        int rank = shape.length;
        Packing pk = b.packing();
        int[] packedStrides = new org.sinter.autotune.te.Placeholder("staged", b.shape(), false).strides();
        // Stride of each unpermuted packed dimension (the split dim's outer part at its place, its inner part last).
        int[] unpermutedStride = new int[rank + 1];
        if (pk == null) {
            System.arraycopy(packedStrides, 0, unpermutedStride, 0, rank);
        } else {
            for (int k = 0; k <= rank; k++) unpermutedStride[pk.order()[k]] = packedStrides[k];
        }
        tables = new int[rank][];
        for (int d = 0; d < rank; d++) {
            int[] t = new int[shape[d]];
            for (int i = 0; i < shape[d]; i++) {
                int x = i + b.padLo()[d];
                t[i] = pk != null && pk.dim() == d
                        ? (x / pk.factor()) * unpermutedStride[d] + (x % pk.factor()) * unpermutedStride[rank]
                        : x * unpermutedStride[d];
            }
            tables[d] = t;
        }
    }

    void copy(float[] src, int srcOff, float[] dst) {
        int rank = shape.length;
        int[] idx = new int[rank];
        int last = rank - 1, n = shape[last];
        int[] inner = tables[last];
        int s = srcOff;
        while (true) {
            int base = 0;
            for (int d = 0; d < last; d++) base += tables[d][idx[d]];
            for (int i = 0; i < n; i++) dst[base + inner[i]] = src[s + i];
            s += n;
            int d = last - 1;
            while (d >= 0 && ++idx[d] == shape[d]) idx[d--] = 0;
            if (d < 0) return;
        }
    }
}
