package org.sinter.nn;

import org.sinter.Tensor;

/** Batch normalization over {@code [N, C]} or {@code [N, C, L]} inputs (see {@link BatchNorm}). */
public final class BatchNorm1d extends BatchNorm {
    /** eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInputDim(Tensor input) {
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException("BatchNorm1d: expected 2D or 3D input (got " + input.dim() + "D input)");
        }
    }
}
