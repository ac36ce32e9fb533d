package org.sinter.nn;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.ops.WindowArgs;

/**
 * 2-D average pooling; stride defaults to the kernel size, padding zeros count in the divisor
 * unless {@code countIncludePad} is false, {@code divisorOverride} > 0 replaces the divisor.
 * Prints like PyTorch: {@code AvgPool2d(kernel_size=2, stride=2, padding=0)}.
 */
public final class AvgPool2d extends Module {
    public final int[] kernelSize, stride, padding;
    public final boolean ceilMode, countIncludePad;
    public final int divisorOverride;

    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, false, true, 0);
    }

    /** Each int[] is one value or a pair; {@code stride} null means the kernel size; divisorOverride 0 means None. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad, int divisorOverride) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null || stride.length == 0 ? kernelSize.clone() : stride.clone();
        WindowArgs.poolWindow("AvgPool2d", this.kernelSize, this.stride, padding, new int[] {1});
        this.padding = padding.clone();
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + MaxPool2d.value(kernelSize) + ", stride=" + MaxPool2d.value(stride) + ", padding="
                + MaxPool2d.value(padding);
    }
}
