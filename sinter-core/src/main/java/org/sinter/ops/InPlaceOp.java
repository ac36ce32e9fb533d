package org.sinter.ops;

import org.sinter.Tensor;

/** An op that can also write its result into its first input (the {@code add_} form). */
public abstract class InPlaceOp extends Op {
    /**
     * Computes the op on {@code inputs} and writes the result into {@code out} (which is
     * {@code inputs[0]}); the result must broadcast to out's shape and cast to its dtype.
     */
    public abstract void forwardInto(Tensor out, Tensor... inputs);
}
