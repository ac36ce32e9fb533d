package org.sinter.compiler.ir;

import java.util.List;
import org.sinter.ops.Op;

/**
 * One operation of a graph: an engine primitive ({@link Op}, a value with equality, so two nodes
 * with equal ops and inputs compute the same thing) applied to values, defining new ones.
 */
public final class Node {
    private final Op op;
    private final List<Value> inputs;
    private List<Value> outputs = List.of();

    Node(Op op, List<Value> inputs) {
        this.op = op;
        this.inputs = List.copyOf(inputs);
    }

    void setOutputs(List<Value> outputs) {
        this.outputs = List.copyOf(outputs);
    }

    public Op op() { return op; }

    public List<Value> inputs() { return inputs; }

    public List<Value> outputs() { return outputs; }

    public Value output() {
        if (outputs.size() != 1) throw new IllegalStateException(op.name() + " has " + outputs.size() + " outputs, not one");
        return outputs.get(0);
    }

    @Override
    public String toString() {
        return outputs + " = " + org.sinter.ops.Op.describe(op) + inputs;
    }
}
