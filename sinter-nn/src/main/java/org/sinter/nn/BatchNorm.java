package org.sinter.nn;

import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * What BatchNorm1d and BatchNorm2d share (PyTorch's {@code _BatchNorm}): {@code weight} (ones)
 * and {@code bias} (zeros) when affine; buffers {@code running_mean} (zeros), {@code running_var}
 * (ones) and {@code num_batches_tracked} (int64 0) when tracking running statistics. In training
 * the batch statistics normalize and update the running ones with {@code momentum}, or with a
 * cumulative average when momentum is null; in eval the running statistics normalize.
 */
public abstract class BatchNorm extends Module {
    public final int numFeatures;
    public final double eps;
    /** null: cumulative moving average (factor 1/num_batches_tracked). */
    public final Double momentum;
    public final boolean affine, trackRunningStats;
    public final Tensor weight, bias, runningMean, runningVar, numBatchesTracked;

    @SuppressWarnings("this-escape") // registers its parameters with Module in the constructor, as PyTorch does
    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        LayerArgs.nonNegative(getClass().getSimpleName(), "num_features", numFeatures);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        weight = registerParameter("weight", affine ? Tensor.ones(numFeatures) : null);
        bias = registerParameter("bias", affine ? Tensor.zeros(numFeatures) : null);
        runningMean = registerBuffer("running_mean", trackRunningStats ? Tensor.zeros(numFeatures) : null);
        runningVar = registerBuffer("running_var", trackRunningStats ? Tensor.ones(numFeatures) : null);
        numBatchesTracked = registerBuffer("num_batches_tracked", trackRunningStats ? Tensor.zeros(DType.INT64) : null);
    }

    /** Throws when the input's rank is not one this variant accepts. */
    protected abstract void checkInputDim(Tensor input);

    /** Zeroes the running statistics (mean 0, variance 1, no batches tracked). */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        try (var _ = Sinter.noGrad()) {
            runningMean.zero_();
            runningVar.fill_(1);
            numBatchesTracked.zero_();
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        checkInputDim(input);
        double factor = momentum == null ? 0.0 : momentum;
        if (training && trackRunningStats) {
            try (var _ = Sinter.noGrad()) {
                numBatchesTracked.add_(Tensor.wrappedScalar(1L));
            }
            if (momentum == null) factor = 1.0 / numBatchesTracked.item();
        }
        boolean useBatchStats = training || runningMean == null;
        Tensor rm = !training || trackRunningStats ? runningMean : null;
        Tensor rv = !training || trackRunningStats ? runningVar : null;
        return F.batchNorm(input, rm, rv, weight, bias, useBatchStats, factor, eps);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + PyRepr.pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : PyRepr.pyFloat(momentum))
                + ", affine=" + PyRepr.pyBool(affine) + ", track_running_stats=" + PyRepr.pyBool(trackRunningStats);
    }
}
