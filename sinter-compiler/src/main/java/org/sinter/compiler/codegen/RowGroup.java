package org.sinter.compiler.codegen;

import java.util.List;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;

/**
 * Nodes that run as one row-at-a-time kernel over a shape {@code [..., N]}: elementwise ops on
 * rows ({@code [..., N]}) and on row scalars ({@code [..., 1]}), and reductions of a row to its
 * scalar (sum, mean, max over the last dimension): layer norm, RMS norm, a hand-written softmax.
 * Every row value lives in a scratch row that stays in cache; only {@code outputs} reach memory.
 */
public record RowGroup(List<Node> nodes, List<Value> inputs, List<Value> scalars, List<Value> outputs, int[] shape) {
    public String describe() {
        StringBuilder sb = new StringBuilder("row ");
        for (Node n : nodes) sb.append(sb.length() == 4 ? "" : " → ").append(n.op().name());
        return sb + " " + java.util.Arrays.toString(shape) + " (" + inputs.size() + " in, " + outputs.size() + " out)";
    }
}
