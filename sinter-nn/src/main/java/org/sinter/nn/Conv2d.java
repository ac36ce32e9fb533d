package org.sinter.nn;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * 2-D convolution layer over {@code [N, C_in, H, W]} (or unbatched {@code [C_in, H, W]}) inputs:
 * weight {@code [C_out, C_in/groups, kh, kw]}, optional bias {@code [C_out]}. Prints like PyTorch:
 * {@code Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))}.
 */
public final class Conv2d extends ConvNd {
    /** Stride 1, no padding, bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1}, 1, true, "zeros");
    }

    /** All options; each int[] is one value or a (height, width) pair. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias, String paddingMode) {
        super(inChannels, outChannels, n(kernelSize, 2, "kernel_size"), n(stride, 2, "stride"), n(padding, 2, "padding"), null,
                n(dilation, 2, "dilation"), false, new int[] {0, 0}, groups, bias, paddingMode);
    }

    /** Padding "same" or "valid". */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, String padding, int[] dilation, int groups,
                  boolean bias, String paddingMode) {
        super(inChannels, outChannels, n(kernelSize, 2, "kernel_size"), n(stride, 2, "stride"), new int[] {0, 0}, padding,
                n(dilation, 2, "dilation"), false, new int[] {0, 0}, groups, bias, paddingMode);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!paddingMode.equals("zeros")) {
            return F.conv2d(padForMode(input), weight, bias, stride, new int[] {0, 0}, dilation, groups);
        }
        if (paddingString != null) return F.conv2d(input, weight, bias, stride, paddingString, dilation, groups);
        return F.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }
}
