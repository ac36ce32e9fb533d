package org.sinter.distributed.tensor;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.distributed.ProcessGroup;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;

/**
 * A linear layer whose output features are split over a tensor-parallel group (Megatron's
 * column-parallel linear): rank r holds rows [r·out/n, (r+1)·out/n) of the weight and bias and
 * computes that slice of the output. With {@code gatherOutput} the slices are gathered into the
 * whole output; without, the output stays split for a following {@link RowParallelLinear}, so an
 * MLP block needs one all-reduce forward and one backward.
 */
public final class ColumnParallelLinear extends Module {
    public final int inFeatures, outFeatures;
    public final Tensor weight;
    /** null when built without bias. */
    public final Tensor bias;
    private final boolean gatherOutput;
    private final ProcessGroup group;

    /** Initialises as {@link Linear} does on rank 0 and shards rank 0's weights (so every rank agrees). */
    public ColumnParallelLinear(int inFeatures, int outFeatures, boolean bias, boolean gatherOutput, ProcessGroup group) {
        this(Shards.broadcastFromRankZero(new Linear(inFeatures, outFeatures, bias), group), gatherOutput, group);
    }

    /** This rank's shard of an existing layer (the same on every rank). */
    @SuppressWarnings("this-escape")
    public ColumnParallelLinear(Linear full, boolean gatherOutput, ProcessGroup group) {
        int n = group.size();
        if (full.outFeatures % n != 0) {
            throw new IllegalArgumentException("ColumnParallelLinear: out_features " + full.outFeatures + " does not split over " + n + " ranks");
        }
        int part = full.outFeatures / n;
        this.inFeatures = full.inFeatures;
        this.outFeatures = full.outFeatures;
        this.gatherOutput = gatherOutput;
        this.group = group;
        try (var _ = Sinter.noGrad()) {
            this.weight = registerParameter("weight", full.weight.narrow(0, group.rank() * part, part).contiguous().clone());
            this.bias = registerParameter("bias", full.bias == null ? null : full.bias.narrow(0, group.rank() * part, part).contiguous().clone());
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 0 || input.size(-1) != inFeatures) {
            throw new IllegalArgumentException("ColumnParallelLinear: expected input with last dimension " + inFeatures + ", got " + input.describe());
        }
        Tensor x = ParallelRegion.copyTo(input, group);
        Tensor y = x.matmul(weight.t());
        if (bias != null) y = y.add(bias);
        return gatherOutput ? ParallelRegion.gatherFrom(y, group) : y;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + " (" + weight.size(0) + " on rank " + group.rank()
                + " of " + group.size() + "), gather_output=" + gatherOutput;
    }
}
