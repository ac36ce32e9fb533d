package org.sinter.compress.prune;

/** Prunes the entries of smallest absolute value (PyTorch's {@code prune.L1Unstructured}). */
public record L1Unstructured(PruneAmount amount) implements PruningMethod {
    @Override
    public Type type() {
        return Type.UNSTRUCTURED;
    }

    @Override
    public float[] computeMask(double[] scores, int[] shape, float[] defaultMask) {
        float[] mask = defaultMask.clone();
        int k = amount.toPrune(scores.length, "parameters");
        if (k == 0) return mask;
        double[] magnitude = new double[scores.length];
        for (int i = 0; i < scores.length; i++) magnitude[i] = Math.abs(scores[i]);
        for (int i : Ranking.smallest(magnitude, k)) mask[i] = 0;
        return mask;
    }
}
