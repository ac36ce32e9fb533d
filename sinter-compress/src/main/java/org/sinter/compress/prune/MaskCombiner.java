package org.sinter.compress.prune;

/**
 * Pruning a tensor that is already pruned (PyTorch's {@code PruningContainer}): the new method only
 * sees the candidates the old mask left (unmasked entries, or slices not fully masked), so an amount
 * is a fraction of what remains, and the result keeps every earlier zero.
 */
public final class MaskCombiner {
    private MaskCombiner() {}

    /** The mask after applying {@code method} to {@code scores} on top of {@code oldMask} (null: nothing pruned yet). */
    public static float[] combine(PruningMethod method, double[] scores, int[] shape, float[] oldMask) {
        if (oldMask == null) {
            float[] ones = new float[scores.length];
            java.util.Arrays.fill(ones, 1f);
            return method.computeMask(scores, shape, ones);
        }
        return switch (method.type()) {
            case GLOBAL -> method.computeMask(scores, shape, oldMask);
            case UNSTRUCTURED -> unstructured(method, scores, oldMask);
            case STRUCTURED -> structured(method, scores, shape, oldMask);
        };
    }

    private static float[] unstructured(PruningMethod method, double[] scores, float[] oldMask) {
        int live = 0;
        for (float m : oldMask) if (m == 1f) live++;
        int[] where = new int[live];
        double[] sub = new double[live];
        float[] subMask = new float[live];
        for (int i = 0, j = 0; i < oldMask.length; i++) {
            if (oldMask[i] == 1f) {
                where[j] = i;
                sub[j] = scores[i];
                subMask[j++] = 1f;
            }
        }
        float[] partial = method.computeMask(sub, new int[] {live}, subMask);
        float[] mask = oldMask.clone();
        for (int j = 0; j < live; j++) mask[where[j]] = partial[j];
        return mask;
    }

    private static float[] structured(PruningMethod method, double[] scores, int[] shape, float[] oldMask) {
        int dim = Slices.checkDim(method.dim(), shape, "structured pruning");
        Slices s = new Slices(shape, dim);
        boolean[] kept = new boolean[s.channels];
        int keptCount = 0;
        for (int c = 0; c < s.channels; c++) {
            for (int o = 0; o < s.outer && !kept[c]; o++) {
                int base = s.offset(o, c);
                for (int i = 0; i < s.inner; i++) if (oldMask[base + i] != 0) { kept[c] = true; break; }
            }
            if (kept[c]) keptCount++;
        }
        int[] subShape = shape.clone();
        subShape[dim] = keptCount;
        Slices sub = new Slices(subShape, dim);
        double[] subScores = new double[s.outer * keptCount * s.inner];
        float[] subMask = new float[subScores.length];
        for (int o = 0; o < s.outer; o++) {
            for (int c = 0, k = 0; c < s.channels; c++) {
                if (!kept[c]) continue;
                System.arraycopy(scores, s.offset(o, c), subScores, sub.offset(o, k), s.inner);
                System.arraycopy(oldMask, s.offset(o, c), subMask, sub.offset(o, k), s.inner);
                k++;
            }
        }
        float[] partial = method.computeMask(subScores, subShape, subMask);
        float[] mask = oldMask.clone();
        for (int o = 0; o < s.outer; o++) {
            for (int c = 0, k = 0; c < s.channels; c++) {
                if (!kept[c]) continue;
                System.arraycopy(partial, sub.offset(o, k), mask, s.offset(o, c), s.inner);
                k++;
            }
        }
        return mask;
    }
}
