package org.sinter.ops;

import java.util.Map;
import org.sinter.SavedContext;
import org.sinter.Tensor;

/**
 * One operator: its name, its attributes, its forward and its gradient, defined once. An op
 * instance is an immutable value (name plus attributes), so every call that builds a tensor can be
 * recorded as a node (op, inputs, attributes): run eagerly now, or captured by a tracer.
 *
 * <p>{@link #forward} runs with autograd disabled and may use kernels or other tensor ops.
 * {@link #backward} is written with tensor ops, so it is itself differentiable (double backward)
 * when autograd runs it with {@code createGraph}. Gradients it returns may have the broadcast
 * shape or the computation dtype; autograd reduces them to each input's shape and dtype.
 */
public abstract class Op {
    /** The operator's name, as printed in errors, profiles and graphs (PyTorch's op name). */
    public abstract String name();

    /** Attributes that, together with the name, define the op (for graphs and printing). */
    public Map<String, Object> attributes() {
        return Map.of();
    }

    /** Computes the outputs. Called with gradient recording disabled. */
    public abstract Tensor[] forward(Tensor... inputs);

    /**
     * Gradients of the inputs given the gradients of the outputs (null entries for outputs that
     * received none). Returns one entry per input; null where the input gets no gradient.
     */
    public Tensor[] backward(SavedContext ctx, Tensor... gradOutputs) {
        throw new UnsupportedOperationException("the derivative for '" + name() + "' is not implemented");
    }

    /** False for ops with no gradient at all (comparisons, argmax, integer results). */
    public boolean differentiable() {
        return true;
    }

    /** Whether backward reads input values (otherwise only their shapes and dtypes are kept). */
    public boolean savesInputs() {
        return true;
    }

    /** Whether backward reads output values (e.g. exp, tanh, sigmoid). */
    public boolean savesOutputs() {
        return false;
    }

    /** True when the output shares storage with input 0 (views). */
    public boolean isView() {
        return false;
    }

    @Override
    public String toString() {
        Map<String, Object> a = attributes();
        return a.isEmpty() ? name() : name() + a;
    }
}
