package org.sinter.compress.quant.nn;

import org.sinter.compress.quant.QParams;
import org.sinter.compress.quant.QTensor;
import org.sinter.compress.quant.kernels.QuantizedAdd;

/**
 * ResNet's basic block on int8 (torchvision's quantizable {@code BasicBlock}): conv1 with its
 * batch norm folded and ReLU fused, conv2 with its batch norm folded (requantized to its own
 * scale), the shortcut (the input's bytes, or the folded 1×1 projection requantized to its own
 * scale), and the residual {@code add_relu} requantized to the addition's own scale.
 */
public final class QuantizedBasicBlock implements QuantStage {
    private final QuantizedConv2d conv1, conv2, downsample;
    private final QParams addOut;

    /** {@code downsample} is null for an identity shortcut. */
    public QuantizedBasicBlock(QuantizedConv2d conv1, QuantizedConv2d conv2, QuantizedConv2d downsample, QParams addOut) {
        this.conv1 = conv1;
        this.conv2 = conv2;
        this.downsample = downsample;
        this.addOut = addOut;
    }

    @Override
    public QTensor forward(QTensor x) {
        QTensor y = conv2.forward(conv1.forward(x));
        QTensor shortcut = downsample == null ? x : downsample.forward(x);
        return QuantizedAdd.add(y, shortcut, addOut, true);
    }

    public QuantizedConv2d conv1() { return conv1; }

    public QuantizedConv2d conv2() { return conv2; }

    /** The shortcut's projection, or null for an identity shortcut. */
    public QuantizedConv2d downsample() { return downsample; }

    /** The scale and zero point of the residual sum. */
    public QParams addOut() { return addOut; }

    @Override
    public long sizeBytes() {
        return conv1.sizeBytes() + conv2.sizeBytes() + (downsample == null ? 0 : downsample.sizeBytes()) + 8;
    }

    @Override
    public String describe() {
        return "QuantizedBasicBlock(" + conv1.describe() + ", " + conv2.describe() + (downsample == null ? "" : ", downsample=" + downsample.describe())
                + ", add_relu: scale=" + addOut.scale(0) + ", zero_point=" + addOut.zeroPoint(0) + ")";
    }
}
