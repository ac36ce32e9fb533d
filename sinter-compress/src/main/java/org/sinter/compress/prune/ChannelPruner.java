package org.sinter.compress.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sinter.nn.AdaptiveAvgPool2d;
import org.sinter.nn.AvgPool2d;
import org.sinter.nn.BatchNorm;
import org.sinter.nn.BatchNorm1d;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Dropout;
import org.sinter.nn.ELU;
import org.sinter.nn.Flatten;
import org.sinter.nn.GELU;
import org.sinter.nn.Identity;
import org.sinter.nn.LeakyReLU;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.SiLU;
import org.sinter.nn.Tanh;

/**
 * Structured pruning that really shrinks a Sequential model: it removes a fraction of the output
 * channels of every Conv2d (and, optionally, of every hidden Linear) whose channels reach another
 * weight layer only through per-channel layers (batch norm, activations with f(0) = 0, pooling,
 * dropout, flatten), and with them the matching batch-norm features and the consumer's input
 * channels. The last layer's outputs are never pruned.
 *
 * <pre>{@code
 * ChannelPlan plan = ChannelPruner.plan(model, 0.5, ChannelCriterion.L1_NORM, false);
 * Sequential smaller = plan.apply();
 * }</pre>
 */
public final class ChannelPruner {
    private ChannelPruner() {}

    /**
     * Plans pruning {@code amount} (a fraction, rounded half to even, at least one channel kept) of
     * each prunable layer's output channels, ranked by {@code criterion}.
     */
    public static ChannelPlan plan(Sequential model, double amount, ChannelCriterion criterion, boolean includeLinear) {
        PruneAmount a = PruneAmount.fraction(amount);
        List<ChannelPlan.Unit> units = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) {
            Module m = model.get(i);
            if (!(m instanceof Conv2d || (includeLinear && m instanceof Linear))) continue;
            ChannelPlan.Unit u = unitAt(model, i, a, criterion);
            if (u != null) units.add(u);
        }
        if (units.isEmpty()) {
            throw new IllegalArgumentException("channel pruning: no prunable layer in the model (a Conv2d" + (includeLinear ? " or Linear" : "")
                    + " followed, through per-channel layers, by another Conv2d or a Flatten and a Linear)");
        }
        return new ChannelPlan(model, units);
    }

    /** The unit a producer at {@code i} forms, or null when its channels do not reach a prunable consumer. */
    private static ChannelPlan.Unit unitAt(Sequential model, int i, PruneAmount amount, ChannelCriterion criterion) {
        Module producer = model.get(i);
        boolean conv = producer instanceof Conv2d;
        if (conv && ((Conv2d) producer).groups != 1) return null;
        int channels = conv ? ((Conv2d) producer).outChannels : ((Linear) producer).outFeatures;
        int batchNorm = -1;
        boolean flattened = false;
        for (int j = i + 1; j < model.size(); j++) {
            Module m = model.get(j);
            if (m instanceof BatchNorm && batchNorm < 0 && !flattened
                    && (conv ? m instanceof BatchNorm2d : m instanceof BatchNorm1d) && ((BatchNorm) m).numFeatures == channels) {
                batchNorm = j;
            } else if (m instanceof Flatten f && conv && !flattened && f.startDim == 1 && (f.endDim == -1 || f.endDim == 3)) {
                flattened = true;
            } else if (passesChannels(m) && (conv || !isSpatial(m))) {
                continue;
            } else if (m instanceof Conv2d next && conv && !flattened) {
                if (next.groups != 1 || next.inChannels != channels) return null;
                return unit(model, i, batchNorm, j, 1, channels, amount, criterion);
            } else if (m instanceof Linear next && (flattened || !conv)) {
                if (next.inFeatures % channels != 0) return null;
                int block = next.inFeatures / channels;
                if (!conv && block != 1) return null;
                return unit(model, i, batchNorm, j, block, channels, amount, criterion);
            } else {
                return null;
            }
        }
        return null;
    }

    private static ChannelPlan.Unit unit(Sequential model, int producer, int batchNorm, int consumer, int block, int channels,
                                         PruneAmount amount, ChannelCriterion criterion) {
        double[] score = switch (criterion) {
            case L1_NORM -> Slices.norms(model.get(producer).namedParameters().get("weight").toDoubleArray(),
                    model.get(producer).namedParameters().get("weight").shape(), 0, 1);
            case BN_SCALE -> {
                if (batchNorm < 0 || !((BatchNorm) model.get(batchNorm)).affine) {
                    throw new IllegalArgumentException("channel pruning by BN scale: layer " + producer + " ("
                            + model.get(producer).getClass().getSimpleName() + ") is not followed by an affine BatchNorm");
                }
                double[] g = ((BatchNorm) model.get(batchNorm)).weight.toDoubleArray();
                for (int c = 0; c < g.length; c++) g[c] = Math.abs(g[c]);
                yield g;
            }
        };
        int prune = Math.min(amount.toPrune(channels, "channels"), channels - 1);
        int[] kept = Ranking.largest(score, channels - prune);
        Arrays.sort(kept);
        return new ChannelPlan.Unit(producer, batchNorm, consumer, block, channels, kept);
    }

    /** Layers that act on each channel separately and map an all-zero channel to zeros. */
    private static boolean passesChannels(Module m) {
        return m instanceof ReLU || m instanceof LeakyReLU || m instanceof ELU || m instanceof GELU || m instanceof SiLU || m instanceof Tanh
                || m instanceof MaxPool2d || m instanceof AvgPool2d || m instanceof AdaptiveAvgPool2d || m instanceof Dropout || m instanceof Identity;
    }

    private static boolean isSpatial(Module m) {
        return m instanceof MaxPool2d || m instanceof AvgPool2d || m instanceof AdaptiveAvgPool2d;
    }
}
