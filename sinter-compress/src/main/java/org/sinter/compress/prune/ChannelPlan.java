package org.sinter.compress.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.BatchNorm;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;

/**
 * Which output channels of which layers a structured pruning keeps, in a Sequential model: each
 * {@link Unit} is a producer (Conv2d or Linear), the batch norm after it (if any) and the layer that
 * consumes its channels (the next Conv2d's input channels, or the Linear after a Flatten, whose
 * inputs come in blocks of {@code H·W}). {@link #apply()} builds the smaller model;
 * {@link #maskOriginal()} zeroes the same channels in the original instead (their outputs are then
 * exactly zero, so both models compute the same function).
 */
public final class ChannelPlan {
    /** One prunable producer: layer indices in the Sequential, and the output channels it keeps. */
    public record Unit(int producer, int batchNorm, int consumer, int consumerBlock, int channels, int[] kept) {
        public int pruned() {
            return channels - kept.length;
        }
    }

    private final Sequential model;
    private final List<Unit> units;

    ChannelPlan(Sequential model, List<Unit> units) {
        this.model = model;
        this.units = List.copyOf(units);
    }

    public List<Unit> units() {
        return units;
    }

    /** A new, smaller Sequential: pruned producers, their batch norms and consumers rebuilt; other layers shared. */
    public Sequential apply() {
        int n = model.size();
        int[][] outKeep = new int[n][], inKeep = new int[n][], bnKeep = new int[n][];
        int[] inBlock = new int[n];
        Arrays.fill(inBlock, 1);
        for (Unit u : units) {
            outKeep[u.producer()] = u.kept();
            if (u.batchNorm() >= 0) bnKeep[u.batchNorm()] = u.kept();
            inKeep[u.consumer()] = u.kept();
            inBlock[u.consumer()] = u.consumerBlock();
        }
        Sequential out = new Sequential();
        for (int i = 0; i < n; i++) {
            Module m = model.get(i);
            if (m instanceof Conv2d c && (outKeep[i] != null || inKeep[i] != null)) out.add(LayerSurgery.conv(c, outKeep[i], inKeep[i]));
            else if (m instanceof Linear l && (outKeep[i] != null || inKeep[i] != null)) out.add(LayerSurgery.linear(l, outKeep[i], inKeep[i], inBlock[i]));
            else if (m instanceof BatchNorm b && bnKeep[i] != null) out.add(LayerSurgery.batchNorm(b, bnKeep[i]));
            else out.add(m);
        }
        out.train(model.isTraining());
        return out;
    }

    /** Zeroes the pruned channels in the original model, in place: filters and biases, or the batch norm's scale and shift. */
    public void maskOriginal() {
        try (var _ = Sinter.noGrad()) {
            for (Unit u : units) {
                Tensor keep = keepMask(u);
                Module p = model.get(u.producer());
                Tensor w = p.namedParameters().get("weight");
                int[] shape = w.shape();
                int[] bshape = new int[shape.length];
                Arrays.fill(bshape, 1);
                bshape[0] = u.channels();
                w.mul_(keep.reshape(bshape));
                Tensor b = p.namedParameters().get("bias");
                if (b != null) b.mul_(keep);
                if (u.batchNorm() >= 0) {
                    BatchNorm bn = (BatchNorm) model.get(u.batchNorm());
                    if (bn.affine) {
                        bn.weight.mul_(keep);
                        bn.bias.mul_(keep);
                    } else {
                        throw new IllegalStateException("maskOriginal: BatchNorm at layer " + u.batchNorm() + " has no affine parameters to zero");
                    }
                }
            }
        }
    }

    private static Tensor keepMask(Unit u) {
        float[] m = new float[u.channels()];
        for (int c : u.kept()) m[c] = 1f;
        return Tensor.of(m);
    }

    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        for (Unit u : units) {
            lines.add(String.format("layer %d (%s): keeps %d of %d channels%s; consumer layer %d", u.producer(),
                    model.get(u.producer()).getClass().getSimpleName(), u.kept().length, u.channels(),
                    u.batchNorm() >= 0 ? " (with its BatchNorm at " + u.batchNorm() + ")" : "", u.consumer()));
        }
        return String.join("\n", lines);
    }
}
