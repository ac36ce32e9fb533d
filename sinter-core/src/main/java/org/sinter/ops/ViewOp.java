package org.sinter.ops;

import org.sinter.Tensor;

/**
 * A zero-copy view: its output is a new geometry (shape, strides, offset) over input 0's
 * storage, computed from the input's geometry alone, so every backend (the meta one included)
 * makes views the same way and no kernel runs.
 */
public sealed interface ViewOp extends Op permits ViewOps.Reshape, ViewOps.Permute, ViewOps.Transpose, ViewOps.Expand,
        ViewOps.Slice, ViewOps.Select, ViewOps.Squeeze, ViewOps.Unsqueeze, ViewOps.Unfold, ViewOps.Diagonal,
        ViewOps.AsStrided, ViewOps.Alias {

    /** The view's geometry. */
    record Geometry(int[] shape, int[] strides, int offset) {}

    /** The view of a tensor with the given geometry. */
    Geometry geometry(int[] shape, int[] strides, int offset);

    /** Whether elements of the view may alias each other (the gradient then accumulates). */
    default boolean overlapping() {
        return false;
    }

    @Override
    default boolean isView() {
        return true;
    }

    @Override
    default boolean savesInputs() {
        return false;
    }

    @Override
    default TensorSpec[] meta(Tensor... in) {
        Tensor x = in[0];
        return Op.one(geometry(x.shape(), x.stride(), x.storageOffset()).shape(), x.dtype());
    }
}
