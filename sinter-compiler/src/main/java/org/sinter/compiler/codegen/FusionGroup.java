package org.sinter.compiler.codegen;

import java.util.List;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;

/**
 * Nodes that run as one generated loop: elementwise ops over one iteration shape, in graph order,
 * optionally ending in a row-wise {@code rowTail} (a softmax over the last dimension) that reads
 * the elementwise result one row at a time from a scratch row, so the prologue
 * ({@code scores · scale + mask}) never goes through memory.
 * {@code inputs} are the tensors it reads from outside (broadcast to the shape), {@code scalars}
 * the constants it folds in as loop-invariant values, {@code outputs} the values it must write
 * (those read outside the group or returned by the graph); every other intermediate lives only in
 * vector registers.
 */
public record FusionGroup(List<Node> nodes, List<Value> inputs, List<Value> scalars, List<Value> outputs, int[] shape, Node rowTail) {
    public FusionGroup(List<Node> nodes, List<Value> inputs, List<Value> scalars, List<Value> outputs, int[] shape) {
        this(nodes, inputs, scalars, outputs, shape, null);
    }

    /** The elementwise members (all but the row tail). */
    public List<Node> elementwise() {
        return rowTail == null ? nodes : nodes.subList(0, nodes.size() - 1);
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) sb.append(sb.isEmpty() ? "" : " → ").append(n.op().name());
        return sb + " " + java.util.Arrays.toString(shape) + " (" + inputs.size() + " in, " + outputs.size() + " out)";
    }
}
