package org.sinter.compress.quant.qat;

import java.util.function.UnaryOperator;
import org.sinter.Tensor;
import org.sinter.compress.quant.BatchNormFolding;
import org.sinter.compress.quant.observer.Observer;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;

/**
 * A convolution and the batch norm after it, trained together under quantization-aware training
 * (PyTorch's {@code nn.intrinsic.qat.ConvBn2d}, its one-pass approximate forward): the weight is
 * scaled by {@code gamma / sqrt(running_var + eps)} as folding will scale it, fake-quantized, the
 * convolution's output divided back by that factor and its bias added, and the batch norm then
 * normalises with the batch's statistics and updates its running ones, so training sees the
 * quantization grid of the folded weight while the statistics keep learning. {@link #freezeBnStats}
 * stops the updates (the batch norm uses its running statistics from then on, PyTorch's
 * {@code freeze_bn_stats}); {@link #folded} is the convolution that {@code convert} quantizes.
 */
public final class ConvBn2d extends Module {
    public final Conv2d conv;
    public final BatchNorm2d bn;
    private boolean frozen;

    @SuppressWarnings("this-escape") // registers its two layers, so parameters() and train() reach them
    public ConvBn2d(Conv2d conv, BatchNorm2d bn) {
        if (bn.numFeatures != conv.outChannels) {
            throw new IllegalArgumentException("ConvBn2d: BatchNorm2d(" + bn.numFeatures + ") after a convolution with " + conv.outChannels + " output channels");
        }
        if (!bn.trackRunningStats) throw new IllegalArgumentException("ConvBn2d: the batch norm needs running statistics to be folded");
        this.conv = conv;
        this.bn = bn;
        registerModule("conv", conv);
        registerModule("bn", bn);
    }

    /** From now on the batch norm normalises with its running statistics and no longer updates them. */
    public void freezeBnStats() {
        frozen = true;
    }

    public boolean bnStatsFrozen() {
        return frozen;
    }

    /** The forward with the scaled weight fake-quantized from {@code weightObserver}'s view of it (fed here). */
    public Tensor forward(Tensor x, Observer weightObserver) {
        return forward(x, w -> FakeQuant.weight(w, weightObserver));
    }

    /**
     * The forward with {@code weightQuant} applied to the BN-scaled weight: a fake quantizer, or the
     * identity (QAT with fake quantization disabled, which computes the float convolution and batch norm).
     */
    public Tensor forward(Tensor x, UnaryOperator<Tensor> weightQuant) {
        bn.train(training && !frozen);
        int co = conv.outChannels;
        Tensor gamma = bn.affine ? bn.weight : Tensor.ones(co);
        Tensor scale = gamma.div(bn.runningVar.add(bn.eps).sqrt());
        Tensor wq = weightQuant.apply(conv.weight.mul(scale.reshape(co, 1, 1, 1)));
        Tensor y = F.conv2d(x, wq, null, conv.stride, conv.padding, conv.dilation, conv.groups).div(scale.reshape(1, co, 1, 1));
        if (conv.bias != null) y = y.add(conv.bias.reshape(1, co, 1, 1));
        return bn.forward(y);
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, new org.sinter.compress.quant.observer.PerChannelMinMaxObserver());
    }

    /** The convolution with the batch norm's current running statistics folded in (what the int8 model runs). */
    public Conv2d folded() {
        return BatchNormFolding.fold(conv, bn);
    }

    @Override
    protected String extraRepr() {
        return conv + ", " + bn + (frozen ? ", bn stats frozen" : "");
    }
}
