package org.sinter.nn;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * Average pooling to a fixed output size whatever the input size (window i spans
 * {@code floor(i·H/oh)} to {@code ceil((i+1)·H/oh)}). A negative size keeps that input
 * dimension (PyTorch's None). Prints {@code AdaptiveAvgPool2d(output_size=(1, 1))}.
 */
public final class AdaptiveAvgPool2d extends Module {
    public final int[] outputSize;

    /** One size for both dimensions (prints as an int, like PyTorch given an int). */
    public AdaptiveAvgPool2d(int outputSize) {
        this.outputSize = new int[] {outputSize};
    }

    public AdaptiveAvgPool2d(int outputHeight, int outputWidth) {
        this.outputSize = new int[] {outputHeight, outputWidth};
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.adaptiveAvgPool2d(input, outputSize);
    }

    @Override
    protected String extraRepr() {
        if (outputSize.length == 1) return "output_size=" + outputSize[0];
        return "output_size=(" + size(outputSize[0]) + ", " + size(outputSize[1]) + ")";
    }

    private static String size(int s) {
        return s < 0 ? "None" : Integer.toString(s);
    }
}
