package org.sinter.compress.prune;

/**
 * A rule that turns importance scores into a 0/1 mask (PyTorch's {@code BasePruningMethod}). The
 * {@link Type} says which entries a repeated pruning may still choose from (see {@link MaskCombiner}).
 */
public interface PruningMethod {
    /** PyTorch's {@code PRUNING_TYPE}. */
    enum Type {
        /** Any single entry may be pruned; repeated pruning chooses among entries still unmasked. */
        UNSTRUCTURED,
        /** Whole slices along {@link #dim()}; repeated pruning chooses among slices not yet fully masked. */
        STRUCTURED,
        /** A mask over the whole tensor given from outside (custom masks, global pruning). */
        GLOBAL
    }

    Type type();

    /** The dimension whose slices a structured method prunes. */
    default int dim() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is not structured");
    }

    /**
     * The new mask for {@code scores} (row-major, of {@code shape}), starting from {@code defaultMask}:
     * entries already zero there stay zero.
     */
    float[] computeMask(double[] scores, int[] shape, float[] defaultMask);
}
