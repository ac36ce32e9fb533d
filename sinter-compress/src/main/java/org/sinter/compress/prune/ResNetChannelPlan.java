package org.sinter.compress.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Linear;
import org.sinter.nn.models.BasicBlock;
import org.sinter.nn.models.ResNet18;

/**
 * Structured channel pruning of a ResNet-18 that really shrinks it. Two kinds of channel sets:
 * <ul>
 *   <li>a block's <b>inner</b> channels (conv1's outputs, bn1, conv2's inputs), ranked within the block;</li>
 *   <li>a stage's <b>residual stream</b>: every layer that writes into the stream (the stem, or the
 *   stage's first shortcut projection, and each block's conv2) must keep the same channels, since
 *   the identity shortcuts add them index by index. The stream's channels are ranked together:
 *   each writer scores its channels (filter L1 norm or |γ| of its batch norm), the scores are
 *   divided by that writer's mean so each writer has one vote, and summed. The readers (the
 *   blocks' conv1 and projections, and the classifier) lose the same input channels.</li>
 * </ul>
 * {@link #apply} builds a new, narrower {@link ResNet18}; {@link #maskOriginal} zeroes the removed
 * channels in place instead (their batch norms' γ and β set to zero, so the channels are exactly
 * zero), which computes the same function: the test that the surgery is right.
 *
 * @param streams the kept channel indices of each stage's residual stream (4 arrays, sorted)
 * @param inner the kept inner channel indices of each block (8 arrays, sorted)
 */
public record ResNetChannelPlan(ResNet18 model, int[][] streams, int[][] inner) {
    /**
     * Plans removing {@code amount} of every block's inner channels and, with {@code pruneStreams},
     * of every stage's residual stream (a fraction rounded half to even, at least one channel kept).
     */
    public static ResNetChannelPlan of(ResNet18 model, double amount, ChannelCriterion criterion, boolean pruneStreams) {
        PruneAmount a = PruneAmount.fraction(amount);
        List<BasicBlock> blocks = model.blocks();
        int[][] inner = new int[8][];
        for (int b = 0; b < 8; b++) {
            BasicBlock blk = blocks.get(b);
            inner[b] = keep(score(blk.conv1(), blk.bn1(), criterion), a);
        }
        int[][] streams = new int[4][];
        for (int s = 0; s < 4; s++) {
            List<double[]> votes = new ArrayList<>();
            if (s == 0) votes.add(score(model.stemConv(), model.stemBn(), criterion));
            else votes.add(score(blocks.get(2 * s).downsampleConv(), blocks.get(2 * s).downsampleBn(), criterion));
            for (int b = 2 * s; b < 2 * s + 2; b++) votes.add(score(blocks.get(b).conv2(), blocks.get(b).bn2(), criterion));
            double[] total = new double[votes.get(0).length];
            for (double[] v : votes) {
                double mean = Arrays.stream(v).average().orElse(0);
                for (int c = 0; c < total.length; c++) total[c] += mean > 0 ? v[c] / mean : 0;
            }
            streams[s] = pruneStreams ? keep(total, a) : all(total.length);
        }
        return new ResNetChannelPlan(model, streams, inner);
    }

    private static double[] score(Conv2d conv, BatchNorm2d bn, ChannelCriterion criterion) {
        if (conv == null) throw new IllegalArgumentException("ResNet channel pruning: a stage after the first has no shortcut projection to write its stream");
        return switch (criterion) {
            case L1_NORM -> Slices.norms(conv.weight.toDoubleArray(), conv.weight.shape(), 0, 1);
            case BN_SCALE -> {
                if (!bn.affine) throw new IllegalArgumentException("channel pruning by BN scale needs affine batch norms");
                double[] g = bn.weight.toDoubleArray();
                for (int c = 0; c < g.length; c++) g[c] = Math.abs(g[c]);
                yield g;
            }
        };
    }

    private static int[] keep(double[] score, PruneAmount a) {
        int n = score.length, prune = Math.min(a.toPrune(n, "channels"), n - 1);
        int[] kept = Ranking.largest(score, n - prune);
        Arrays.sort(kept);
        return kept;
    }

    private static int[] all(int n) {
        int[] k = new int[n];
        for (int i = 0; i < n; i++) k[i] = i;
        return k;
    }

    /** The widths of the pruned network. */
    public ResNet18.Widths widths() {
        int[] s = new int[4], m = new int[8];
        for (int i = 0; i < 4; i++) s[i] = streams[i].length;
        for (int i = 0; i < 8; i++) m[i] = inner[i].length;
        return new ResNet18.Widths(s, m);
    }

    /** A new, narrower ResNet-18 holding the kept channels' weights and statistics (the original is unchanged). */
    public ResNet18 apply() {
        ResNet18 out = new ResNet18(model.inChannels(), model.classes(), widths());
        copyConv(out.stemConv(), model.stemConv(), streams[0], null);
        copyBn(out.stemBn(), model.stemBn(), streams[0]);
        List<BasicBlock> src = model.blocks(), dst = out.blocks();
        for (int b = 0; b < 8; b++) {
            int stage = b / 2;
            int[] in = b == 0 ? streams[0] : b % 2 == 0 ? streams[stage - 1] : streams[stage];
            int[] stream = streams[stage];
            BasicBlock s = src.get(b), d = dst.get(b);
            copyConv(d.conv1(), s.conv1(), inner[b], in);
            copyBn(d.bn1(), s.bn1(), inner[b]);
            copyConv(d.conv2(), s.conv2(), stream, inner[b]);
            copyBn(d.bn2(), s.bn2(), stream);
            if (s.downsampleConv() != null) {
                copyConv(d.downsampleConv(), s.downsampleConv(), stream, in);
                copyBn(d.downsampleBn(), s.downsampleBn(), stream);
            }
        }
        Linear fc = LayerSurgery.linear(model.fc(), null, streams[3], 1);
        copy(out.fc().weight, fc.weight);
        copy(out.fc().bias, fc.bias);
        out.train(model.isTraining());
        return out;
    }

    /** Zeroes, in the original model, every channel the plan removes (batch norm γ and β of its writers). */
    public void maskOriginal() {
        List<BasicBlock> blocks = model.blocks();
        zero(model.stemBn(), streams[0]);
        for (int b = 0; b < 8; b++) {
            BasicBlock blk = blocks.get(b);
            zero(blk.bn1(), inner[b]);
            zero(blk.bn2(), streams[b / 2]);
            if (blk.downsampleBn() != null) zero(blk.downsampleBn(), streams[b / 2]);
        }
    }

    /** Parameters of the original and the pruned network, for reports. */
    public long[] parameterCounts(ResNet18 pruned) {
        return new long[] {count(model), count(pruned)};
    }

    private static long count(ResNet18 m) {
        long n = 0;
        for (Tensor t : m.parameters()) n += t.numel();
        return n;
    }

    private static void zero(BatchNorm2d bn, int[] kept) {
        boolean[] keep = new boolean[bn.numFeatures];
        for (int k : kept) keep[k] = true;
        float[] g = bn.weight.toFloatArray(), b = bn.bias.toFloatArray();
        for (int c = 0; c < keep.length; c++) if (!keep[c]) g[c] = b[c] = 0f;
        copy(bn.weight, Tensor.of(g, g.length));
        copy(bn.bias, Tensor.of(b, b.length));
    }

    private static void copyConv(Conv2d dst, Conv2d src, int[] out, int[] in) {
        Conv2d sel = LayerSurgery.conv(src, out, in);
        copy(dst.weight, sel.weight);
        if (src.bias != null) copy(dst.bias, sel.bias);
    }

    private static void copyBn(BatchNorm2d dst, BatchNorm2d src, int[] keep) {
        var sel = LayerSurgery.batchNorm(src, keep);
        copy(dst.weight, sel.weight);
        copy(dst.bias, sel.bias);
        copy(dst.runningMean, sel.runningMean);
        copy(dst.runningVar, sel.runningVar);
        copy(dst.numBatchesTracked, sel.numBatchesTracked);
    }

    private static void copy(Tensor dst, Tensor src) {
        try (var _ = Sinter.noGrad()) {
            dst.copy_(src.detach());
        }
    }
}
