package org.sinter.nn;

import org.sinter.Tensor;
import org.sinter.ValuesIndices;
import org.sinter.nn.functional.F;
import org.sinter.ops.WindowArgs;

/**
 * 2-D max pooling; stride defaults to the kernel size. With {@code returnIndices}, use
 * {@link #forwardWithIndices}. Prints like PyTorch:
 * {@code MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)}.
 */
public final class MaxPool2d extends Module {
    public final int[] kernelSize, stride, padding, dilation;
    public final boolean ceilMode, returnIndices;

    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1}, false, false);
    }

    /** Each int[] is one value or a (height, width) pair; {@code stride} null means the kernel size. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean returnIndices, boolean ceilMode) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null || stride.length == 0 ? kernelSize.clone() : stride.clone();
        // Checked here, not only at the first forward: MaxPool2d(0) fails where it is written.
        WindowArgs.poolWindow("MaxPool2d", this.kernelSize, this.stride, padding, dilation);
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.returnIndices = returnIndices;
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** The maxima and their flat in-plane indices (what MaxUnpool2d takes). */
    public ValuesIndices forwardWithIndices(Tensor input) {
        return F.maxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    static String value(int[] v) {
        return v.length == 1 ? Integer.toString(v[0]) : Reprs.tuple(v);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + value(kernelSize) + ", stride=" + value(stride) + ", padding=" + value(padding) + ", dilation="
                + value(dilation) + ", ceil_mode=" + PyRepr.pyBool(ceilMode);
    }
}
