package org.sinter.ops;

import java.util.Map;
import org.sinter.Tensor;

/**
 * One primitive operation: a value (a record of its attributes, with equality and hashing, so it
 * can key a kernel cache) from the closed set below. Everything the engine executes is one of
 * these; composite operators (var, logsumexp, layer norm, losses, attention…) are written once in
 * terms of them.
 *
 * <p>An op's meaning is defined in three places and nowhere else: its record (attributes, and the
 * {@link #meta meta function}: output shapes and dtypes from input metadata alone, with the
 * argument checks), its gradient in {@link Derivatives} (one exhaustive switch), and its kernels
 * in each backend ({@code org.sinter.backend.cpu.CpuBackend}; the meta backend needs none).
 */
public sealed interface Op permits InPlaceOp, UnaryOps.Cast, UnaryOps.ReluBackward,
        CompareOps.Compare, CompareOps.Logical, CompareOps.IsFinite,
        IndexOps.Where, IndexOps.Gather, IndexOps.Scatter, IndexOps.IndexSelect, IndexOps.IndexAdd,
        ReduceOps.Reduce, ReduceOps.ArgReduce, ReduceOps.Norm, ReduceOps.Cumsum, SoftmaxOps.Softmax,
        LinalgOps.Bmm, ViewOp, ViewOps.ViewScatter,
        ShapeOps.Clone, ShapeOps.Cat, ShapeOps.ConstantPad, ShapeOps.Flip, ShapeOps.Tri,
        NnOps.Conv2d, NnOps.ConvTranspose2d, NnOps.Conv2dWeight, NnOps.MaxPool2d, NnOps.MaxPoolBackward,
        NnOps.AvgPool2d, NnOps.AvgPoolBackward, NnOps.Embedding, NnOps.EmbeddingBackward, UpdateOp,
        Custom, HigherOrderOp {

    /** The operator's name, as printed in errors, profiles and graphs (PyTorch's op name). */
    String name();

    /** Attributes that, together with the name, define the op (for graphs and printing). */
    default Map<String, Object> attributes() {
        return Map.of();
    }

    /**
     * The outputs' shapes and dtypes from the inputs' metadata alone (no values are read), after
     * checking the arguments; throws the op's error for bad ones. Views describe their result as
     * a dense tensor of the view's shape (their geometry is in {@link ViewOp#geometry}).
     */
    TensorSpec[] meta(Tensor... inputs);

    /** False for ops with no gradient at all (comparisons, argmax, integer results). */
    default boolean differentiable() {
        return true;
    }

    /** Whether backward reads input values (otherwise only their shapes and dtypes are kept). */
    default boolean savesInputs() {
        return true;
    }

    /** Whether backward reads output values (e.g. exp, tanh, sigmoid). */
    default boolean savesOutputs() {
        return false;
    }

    /** True when the output shares storage with input 0 (views). */
    default boolean isView() {
        return false;
    }

    /** One output of the given shape and dtype (most meta functions). */
    static TensorSpec[] one(int[] shape, org.sinter.DType dtype) {
        return new TensorSpec[] {new TensorSpec(shape, dtype)};
    }

    /** The usual printed form: name plus attributes. */
    static String describe(Op op) {
        Map<String, Object> a = op.attributes();
        return a.isEmpty() ? op.name() : op.name() + a;
    }
}
