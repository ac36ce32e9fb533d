package org.sinter.compiler.ir;

import org.sinter.DType;
import org.sinter.ops.TensorSpec;

/**
 * One SSA value of a graph: a tensor of known shape and dtype, defined exactly once (by a graph
 * input, a parameter, or one output of a node) and used any number of times. Values compare by
 * identity; their number names them in the text form ({@code %7}).
 */
public final class Value {
    private final int id;
    private final TensorSpec spec;
    private final Node producer;
    private final int outputIndex;

    Value(int id, TensorSpec spec, Node producer, int outputIndex) {
        this.id = id;
        this.spec = spec;
        this.producer = producer;
        this.outputIndex = outputIndex;
    }

    public int id() { return id; }

    public TensorSpec spec() { return spec; }

    public int[] shape() { return spec.shape(); }

    public DType dtype() { return spec.dtype(); }

    /** The node that computes this value, or null for graph inputs and parameters. */
    public Node producer() { return producer; }

    /** Which output of its producer this is (0 for inputs and parameters). */
    public int outputIndex() { return outputIndex; }

    @Override
    public String toString() {
        return "%" + id;
    }
}
