package org.sinter.compress.prune;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.BatchNorm;
import org.sinter.nn.BatchNorm1d;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Linear;

/**
 * New, smaller layers holding a selection of an old layer's channels: the output channels
 * {@code out} and input channels {@code in} (null: all), with parameters and running statistics
 * copied. A Linear that reads a flattened {@code C x H x W} map takes input channels as blocks of
 * {@code H·W} columns.
 */
final class LayerSurgery {
    private LayerSurgery() {}

    static Conv2d conv(Conv2d c, int[] out, int[] in) {
        if (c.groups != 1) throw new IllegalArgumentException("channel pruning: grouped Conv2d (groups=" + c.groups + ") is not supported");
        int outC = out == null ? c.outChannels : out.length, inC = in == null ? c.inChannels : in.length;
        Conv2d n = c.paddingString != null
                ? new Conv2d(inC, outC, c.kernelSize, c.stride, c.paddingString, c.dilation, 1, c.bias != null, c.paddingMode)
                : new Conv2d(inC, outC, c.kernelSize, c.stride, c.padding, c.dilation, 1, c.bias != null, c.paddingMode);
        copy(n.weight, select(select(c.weight, 0, out), 1, in));
        if (c.bias != null) copy(n.bias, select(c.bias, 0, out));
        n.train(c.isTraining());
        return n;
    }

    static Linear linear(Linear l, int[] out, int[] in, int inBlock) {
        int[] cols = in == null ? null : blocks(in, inBlock);
        int outF = out == null ? l.outFeatures : out.length, inF = cols == null ? l.inFeatures : cols.length;
        Linear n = new Linear(inF, outF, l.bias != null);
        copy(n.weight, select(select(l.weight, 0, out), 1, cols));
        if (l.bias != null) copy(n.bias, select(l.bias, 0, out));
        n.train(l.isTraining());
        return n;
    }

    static BatchNorm batchNorm(BatchNorm b, int[] keep) {
        int f = keep == null ? b.numFeatures : keep.length;
        BatchNorm n = b instanceof BatchNorm1d
                ? new BatchNorm1d(f, b.eps, b.momentum, b.affine, b.trackRunningStats)
                : new BatchNorm2d(f, b.eps, b.momentum, b.affine, b.trackRunningStats);
        if (b.affine) {
            copy(n.weight, select(b.weight, 0, keep));
            copy(n.bias, select(b.bias, 0, keep));
        }
        if (b.trackRunningStats) {
            copy(n.runningMean, select(b.runningMean, 0, keep));
            copy(n.runningVar, select(b.runningVar, 0, keep));
            copy(n.numBatchesTracked, b.numBatchesTracked);
        }
        n.train(b.isTraining());
        return n;
    }

    /** Column indices of the kept channels when each channel owns {@code block} consecutive columns. */
    static int[] blocks(int[] channels, int block) {
        int[] cols = new int[channels.length * block];
        for (int i = 0; i < channels.length; i++) for (int s = 0; s < block; s++) cols[i * block + s] = channels[i] * block + s;
        return cols;
    }

    static Tensor select(Tensor t, int dim, int[] keep) {
        if (keep == null) return t.detach();
        long[] idx = new long[keep.length];
        for (int i = 0; i < keep.length; i++) idx[i] = keep[i];
        return t.detach().indexSelect(dim, Tensor.of(idx));
    }

    private static void copy(Tensor dst, Tensor src) {
        try (var _ = Sinter.noGrad()) {
            dst.copy_(src);
        }
    }
}
