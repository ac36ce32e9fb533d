package org.sinter.data;

import org.sinter.DType;
import org.sinter.Tensor;

/**
 * One supervised sample: an input tensor and its target. Classification targets are 0-d int64
 * tensors ({@link #of(Tensor, long)}), so the default collate stacks them into the int64 label
 * vector that {@code crossEntropy} expects.
 *
 * <pre>{@code
 * Example e = MNIST.train().get(0);
 * e.input();    // float32 [1, 28, 28] in [0, 1]
 * e.label();    // 5
 * }</pre>
 */
public record Example(Tensor input, Tensor target) {
    public Example {
        if (input == null || target == null) throw new NullPointerException("Example: input and target must not be null");
    }

    /** An example with a class label, stored as a 0-d int64 tensor. */
    public static Example of(Tensor input, long label) {
        return new Example(input, Tensor.scalar(label, DType.INT64));
    }

    /** The target as a class index (the target must hold one integral value). */
    public long label() {
        if (target.numel() != 1) throw new IllegalStateException("Example.label: the target has " + target.numel() + " values, not one class index");
        return target.itemLong();
    }

    /** The same target with a new input (what an input transform produces). */
    public Example withInput(Tensor newInput) {
        return new Example(newInput, target);
    }
}
