package org.sinter.nn;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * Transposed 2-D convolution layer (the gradient of Conv2d with respect to its input; "deconvolution"):
 * weight {@code [C_in, C_out/groups, kh, kw]}, optional bias {@code [C_out]}. Only zero padding,
 * as in PyTorch.
 */
public final class ConvTranspose2d extends ConvNd {
    /** Stride 1, no padding, bias. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {0}, 1, true,
                new int[] {1});
    }

    /** All options in PyTorch's order (groups before dilation); each int[] is one value or a pair. */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] outputPadding,
                           int groups, boolean bias, int[] dilation) {
        super(inChannels, outChannels, n(kernelSize, 2, "kernel_size"), n(stride, 2, "stride"), n(padding, 2, "padding"), null,
                n(dilation, 2, "dilation"), true, n(outputPadding, 2, "output_padding"), groups, bias, "zeros");
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.convTranspose2d(input, weight, bias, stride, padding, outputPadding, groups, dilation);
    }
}
