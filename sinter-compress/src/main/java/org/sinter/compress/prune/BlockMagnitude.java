package org.sinter.compress.prune;

import java.util.ArrayList;
import java.util.List;

/**
 * Prunes whole {@code blockRows x blockCols} blocks of smallest L1 norm, seeing the weight as a
 * matrix {@code (dim 0) x (all other dims)}: the pattern block-sparse kernels run fast on. The
 * amount is a fraction of the blocks not yet fully pruned; edge blocks may be smaller.
 */
public record BlockMagnitude(PruneAmount amount, int blockRows, int blockCols) implements PruningMethod {
    public BlockMagnitude {
        if (blockRows < 1 || blockCols < 1) throw new IllegalArgumentException("block pruning: block shape must be positive, got " + blockRows + "x" + blockCols);
    }

    @Override
    public Type type() {
        // It sees the whole tensor and keeps every earlier zero itself.
        return Type.GLOBAL;
    }

    @Override
    public float[] computeMask(double[] scores, int[] shape, float[] defaultMask) {
        int rows = shape.length == 0 ? 1 : shape[0];
        int cols = rows == 0 ? 0 : scores.length / rows;
        List<int[]> alive = new ArrayList<>();
        List<Double> norms = new ArrayList<>();
        for (int r0 = 0; r0 < rows; r0 += blockRows) {
            for (int c0 = 0; c0 < cols; c0 += blockCols) {
                double norm = 0;
                boolean any = false;
                for (int r = r0; r < Math.min(rows, r0 + blockRows); r++) {
                    for (int c = c0; c < Math.min(cols, c0 + blockCols); c++) {
                        int i = r * cols + c;
                        if (defaultMask[i] != 0) any = true;
                        norm += Math.abs(scores[i] * defaultMask[i]);
                    }
                }
                if (any) {
                    alive.add(new int[] {r0, c0});
                    norms.add(norm);
                }
            }
        }
        float[] mask = defaultMask.clone();
        int k = amount.toPrune(alive.size(), "blocks");
        double[] n = new double[norms.size()];
        for (int i = 0; i < n.length; i++) n[i] = norms.get(i);
        for (int b : Ranking.smallest(n, k)) {
            int[] at = alive.get(b);
            for (int r = at[0]; r < Math.min(rows, at[0] + blockRows); r++) {
                for (int c = at[1]; c < Math.min(cols, at[1] + blockCols); c++) mask[r * cols + c] = 0;
            }
        }
        return mask;
    }
}
