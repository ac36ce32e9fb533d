package org.sinter;

/**
 * What an op's backward can read about the forward call: the saved inputs and outputs (checked
 * against in-place modification when read), and the inputs' shapes and dtypes (always kept).
 */
public interface SavedContext {
    int numInputs();

    /** Input {@code i} as it was in forward; fails if it was modified in place since. */
    Tensor input(int i);

    /** Output {@code i} as it was in forward; fails if it was modified in place since. */
    Tensor output(int i);

    int[] inputShape(int i);

    DType inputDtype(int i);

    /** Whether input {@code i} needs a gradient (backward may skip computing it when false). */
    boolean needsInputGrad(int i);
}
