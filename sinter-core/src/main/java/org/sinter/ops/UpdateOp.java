package org.sinter.ops;

import org.sinter.Tensor;

/**
 * An op that updates some of its inputs in place and returns nothing: the fused optimizer steps
 * (parameter and state buffers written in one pass) and the random fills. Not differentiable; run
 * through {@code Dispatch.applyUpdate}, which checks devices and autograd, bumps the written
 * tensors' versions and tells the listeners (the profiler and a tracer see these too).
 */
public sealed interface UpdateOp extends Op permits OptimOps.SgdUpdate, OptimOps.AdamUpdate, OptimOps.AdadeltaUpdate,
        RandomOps.Uniform, RandomOps.Normal, RandomOps.Integers {

    /** Indices of the inputs this op writes. */
    int[] written(int numInputs);

    @Override
    default boolean differentiable() {
        return false;
    }

    /** Checks the arguments; an update has no outputs. */
    @Override
    TensorSpec[] meta(Tensor... inputs);
}
