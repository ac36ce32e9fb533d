package org.sinter.nn;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * Group normalization: the channels of {@code [N, C, ...]} inputs split into {@code numGroups}
 * groups normalized per sample, then a per-channel affine ({@code weight} ones, {@code bias}
 * zeros). Prints {@code GroupNorm(2, 6, eps=1e-05, affine=True)}.
 */
public final class GroupNorm extends Module {
    public final int numGroups, numChannels;
    public final double eps;
    public final boolean affine;
    public final Tensor weight, bias;

    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        LayerArgs.positive("GroupNorm", "num_groups", numGroups);
        LayerArgs.nonNegative("GroupNorm", "num_channels", numChannels);
        if (numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: num_channels must be divisible by num_groups, got " + numChannels + " and " + numGroups);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.affine = affine;
        weight = registerParameter("weight", affine ? Tensor.ones(numChannels) : null);
        bias = registerParameter("bias", affine ? Tensor.zeros(numChannels) : null);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.groupNorm(input, numGroups, weight, bias, eps);
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + PyRepr.pyFloat(eps) + ", affine=" + PyRepr.pyBool(affine);
    }
}
