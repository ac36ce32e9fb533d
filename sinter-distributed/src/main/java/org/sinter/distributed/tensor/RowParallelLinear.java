package org.sinter.distributed.tensor;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.distributed.ProcessGroup;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;

/**
 * A linear layer whose input features are split over a tensor-parallel group (Megatron's
 * row-parallel linear): rank r holds columns [r·in/n, (r+1)·in/n) of the weight, multiplies its
 * slice of the input, and the partial products are summed by one all-reduce; the bias (whole on
 * every rank) is added after the sum. With {@code inputIsParallel} the input is already split (the
 * output of a {@link ColumnParallelLinear} without gathering); otherwise this rank takes its slice.
 */
public final class RowParallelLinear extends Module {
    public final int inFeatures, outFeatures;
    public final Tensor weight;
    /** null when built without bias; the same on every rank. */
    public final Tensor bias;
    private final boolean inputIsParallel;
    private final ProcessGroup group;

    /** Initialises as {@link Linear} does on rank 0 and shards rank 0's weights (so every rank agrees). */
    public RowParallelLinear(int inFeatures, int outFeatures, boolean bias, boolean inputIsParallel, ProcessGroup group) {
        this(Shards.broadcastFromRankZero(new Linear(inFeatures, outFeatures, bias), group), inputIsParallel, group);
    }

    /** This rank's shard of an existing layer (the same on every rank). */
    @SuppressWarnings("this-escape")
    public RowParallelLinear(Linear full, boolean inputIsParallel, ProcessGroup group) {
        int n = group.size();
        if (full.inFeatures % n != 0) {
            throw new IllegalArgumentException("RowParallelLinear: in_features " + full.inFeatures + " does not split over " + n + " ranks");
        }
        int part = full.inFeatures / n;
        this.inFeatures = full.inFeatures;
        this.outFeatures = full.outFeatures;
        this.inputIsParallel = inputIsParallel;
        this.group = group;
        try (var _ = Sinter.noGrad()) {
            this.weight = registerParameter("weight", full.weight.narrow(1, group.rank() * part, part).contiguous().clone());
            this.bias = registerParameter("bias", full.bias == null ? null : full.bias.contiguous().clone());
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        int expected = inputIsParallel ? weight.size(1) : inFeatures;
        if (input.dim() == 0 || input.size(-1) != expected) {
            throw new IllegalArgumentException("RowParallelLinear: expected input with last dimension " + expected
                    + (inputIsParallel ? " (this rank's slice of " + inFeatures + ")" : "") + ", got " + input.describe());
        }
        Tensor x = inputIsParallel ? input : ParallelRegion.scatterTo(input, group);
        Tensor y = ParallelRegion.reduceFrom(x.matmul(weight.t()), group);
        return bias == null ? y : y.add(bias);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + " (" + weight.size(1) + " on rank " + group.rank() + " of " + group.size()
                + "), out_features=" + outFeatures + ", input_is_parallel=" + inputIsParallel;
    }
}
