package org.sinter.nn;

import org.sinter.Tensor;

/** Batch normalization over {@code [N, C, H, W]} inputs (see {@link BatchNorm}). */
public final class BatchNorm2d extends BatchNorm {
    /** eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInputDim(Tensor input) {
        if (input.dim() != 4) throw new IllegalArgumentException("BatchNorm2d: expected 4D input (got " + input.dim() + "D input)");
    }
}
