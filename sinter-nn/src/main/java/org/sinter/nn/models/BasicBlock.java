package org.sinter.nn.models;

import org.sinter.Tensor;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Sequential;

/**
 * ResNet's basic block (torchvision's {@code BasicBlock}): two 3×3 convolutions with BatchNorm,
 * added to the input (or to its 1×1 projection when the stride or the width changes), then ReLU.
 * The middle width may differ from the output width (a channel-pruned block).
 */
public final class BasicBlock extends org.sinter.nn.Module {
    private final Conv2d conv1, conv2;
    private final BatchNorm2d bn1, bn2;
    private final Sequential downsample;

    public BasicBlock(int in, int out, int stride) {
        this(in, out, out, stride);
    }

    /** A block reading {@code in} channels, {@code mid} between its convolutions, writing {@code out}. */
    public BasicBlock(int in, int mid, int out, int stride) {
        conv1 = registerModule("conv1", ResNet18.conv(in, mid, 3, stride, 1));
        bn1 = registerModule("bn1", new BatchNorm2d(mid));
        conv2 = registerModule("conv2", ResNet18.conv(mid, out, 3, 1, 1));
        bn2 = registerModule("bn2", new BatchNorm2d(out));
        downsample = stride != 1 || in != out
                ? registerModule("downsample", new Sequential(ResNet18.conv(in, out, 1, stride, 0), new BatchNorm2d(out))) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = bn2.forward(conv2.forward(bn1.forward(conv1.forward(x)).relu()));
        Tensor shortcut = downsample == null ? x : downsample.forward(x);
        return y.add(shortcut).relu();
    }

    public Conv2d conv1() { return conv1; }

    public BatchNorm2d bn1() { return bn1; }

    public Conv2d conv2() { return conv2; }

    public BatchNorm2d bn2() { return bn2; }

    /** The shortcut's 1×1 convolution, or null for an identity shortcut. */
    public Conv2d downsampleConv() { return downsample == null ? null : (Conv2d) downsample.get(0); }

    /** The shortcut's BatchNorm, or null for an identity shortcut. */
    public BatchNorm2d downsampleBn() { return downsample == null ? null : (BatchNorm2d) downsample.get(1); }

    public int inChannels() { return conv1.inChannels; }

    public int midChannels() { return conv1.outChannels; }

    public int outChannels() { return conv2.outChannels; }

    public int stride() { return conv1.stride[0]; }
}
