package org.sinter.nn;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * 1-D convolution layer over {@code [N, C_in, L]} (or unbatched {@code [C_in, L]}) inputs:
 * weight {@code [C_out, C_in/groups, k]}, optional bias {@code [C_out]}.
 */
public final class Conv1d extends ConvNd {
    /** Stride 1, no padding, bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true, "zeros");
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias,
                  String paddingMode) {
        super(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, null, new int[] {dilation},
                false, new int[] {0}, groups, bias, paddingMode);
    }

    /** Padding "same" or "valid". */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, String padding, int dilation, int groups, boolean bias,
                  String paddingMode) {
        super(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {0}, padding, new int[] {dilation},
                false, new int[] {0}, groups, bias, paddingMode);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!paddingMode.equals("zeros")) return F.conv1d(padForMode(input), weight, bias, stride[0], 0, dilation[0], groups);
        if (paddingString != null) return F.conv1d(input, weight, bias, stride[0], paddingString, dilation[0], groups);
        return F.conv1d(input, weight, bias, stride[0], padding[0], dilation[0], groups);
    }
}
