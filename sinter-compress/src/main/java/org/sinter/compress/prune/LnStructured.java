package org.sinter.compress.prune;

/**
 * Prunes whole slices along {@code dim} (output channels with dim 0, input channels with dim 1) of
 * smallest L{@code n} norm (PyTorch's {@code prune.LnStructured}; {@code n} may be infinite).
 */
public record LnStructured(PruneAmount amount, double n, int dim) implements PruningMethod {
    public LnStructured {
        if (!(n > 0)) throw new IllegalArgumentException("LnStructured: the norm order n must be positive (or infinite), got " + n);
    }

    @Override
    public Type type() {
        return Type.STRUCTURED;
    }

    @Override
    public float[] computeMask(double[] scores, int[] shape, float[] defaultMask) {
        int d = Slices.checkDim(dim, shape, "ln_structured");
        int channels = shape[d];
        int toPrune = amount.toPrune(channels, "units");
        if (toPrune == 0) return defaultMask.clone();
        double[] norms = Slices.norms(scores, shape, d, n);
        boolean[] keep = new boolean[channels];
        for (int c : Ranking.largest(norms, channels - toPrune)) keep[c] = true;
        float[] mask = new float[scores.length];
        Slices slices = new Slices(shape, d);
        for (int o = 0; o < slices.outer; o++) {
            for (int c = 0; c < channels; c++) {
                if (!keep[c]) continue;
                int base = slices.offset(o, c);
                for (int i = 0; i < slices.inner; i++) mask[base + i] = defaultMask[base + i];
            }
        }
        return mask;
    }
}
