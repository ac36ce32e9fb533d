package org.sinter.compress.prune;

/** A mask given from outside, combined with any earlier one (PyTorch's {@code prune.CustomFromMask}). */
public record CustomMask(float[] mask) implements PruningMethod {
    @Override
    public Type type() {
        return Type.GLOBAL;
    }

    @Override
    public float[] computeMask(double[] scores, int[] shape, float[] defaultMask) {
        if (mask.length != defaultMask.length) {
            throw new IllegalArgumentException("custom mask: " + mask.length + " entries for a tensor of " + defaultMask.length);
        }
        float[] out = new float[mask.length];
        for (int i = 0; i < out.length; i++) out[i] = defaultMask[i] * mask[i];
        return out;
    }
}
