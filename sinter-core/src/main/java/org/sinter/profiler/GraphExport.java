package org.sinter.profiler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Node;
import org.sinter.SavedContext;
import org.sinter.Tensor;

/**
 * Draws the autograd graph behind a tensor as Graphviz DOT (like torchviz's {@code make_dot}):
 * one box per backward function, one box per leaf tensor that receives a gradient (labelled with
 * its shape and dtype), the output at the bottom, edges in the direction data flowed forward.
 * Render with {@code dot -Tsvg graph.dot -o graph.svg}.
 */
public final class GraphExport {
    private GraphExport() {}

    /** The DOT text of the graph that produced {@code output}. */
    public static String toDot(Tensor output) {
        StringBuilder sb = new StringBuilder();
        sb.append("digraph autograd {\n");
        sb.append("  graph [rankdir=TB];\n");
        sb.append("  node [shape=box, style=\"filled,rounded\", fontname=\"Helvetica\", fontsize=11];\n");
        sb.append("  output [label=").append(quote("output\n" + describe(output.shape(), output.dtype())))
                .append(", fillcolor=darkolivegreen1];\n");
        Node root = output.gradFn();
        if (root == null) {
            sb.append("}\n");
            return sb.toString();
        }
        Map<Node, String> ids = new IdentityHashMap<>();
        ArrayDeque<Node> queue = new ArrayDeque<>();
        List<Node> order = new ArrayList<>();
        ids.put(root, "n0");
        order.add(root);
        queue.add(root);
        StringBuilder edges = new StringBuilder();
        edges.append("  n0 -> output;\n");
        // Shapes of leaves are known from the consumer's saved input shapes (the leaf's
        // accumulator itself keeps no public reference to the tensor).
        Map<Node, String> leafLabels = new IdentityHashMap<>();
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            List<Node> next = n.nextFunctions();
            for (int i = 0; i < next.size(); i++) {
                Node child = next.get(i);
                if (child == null) continue;
                if (!ids.containsKey(child)) {
                    ids.put(child, "n" + ids.size());
                    order.add(child);
                    queue.add(child);
                }
                if (child.nextFunctions().isEmpty() && n instanceof SavedContext ctx && i < ctx.numInputs()) {
                    leafLabels.putIfAbsent(child, describe(ctx.inputShape(i), ctx.inputDtype(i)));
                }
                edges.append("  ").append(ids.get(child)).append(" -> ").append(ids.get(n)).append(";\n");
            }
        }
        for (Node n : order) {
            boolean leaf = n.nextFunctions().isEmpty() && "AccumulateGrad".equals(n.name());
            String label = leaf && leafLabels.containsKey(n) ? n.name() + "\n" + leafLabels.get(n) : n.name();
            sb.append("  ").append(ids.get(n)).append(" [label=").append(quote(label))
                    .append(", fillcolor=").append(leaf ? "lightblue" : "lightgray").append("];\n");
        }
        sb.append(edges).append("}\n");
        return sb.toString();
    }

    private static String describe(int[] shape, DType dtype) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        if (shape.length == 1) sb.append(',');
        return sb.append(") ").append(dtype.torchName().replace("torch.", "")).toString();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
