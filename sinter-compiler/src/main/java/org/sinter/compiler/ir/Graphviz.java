package org.sinter.compiler.ir;

import java.util.IdentityHashMap;
import java.util.Map;
import org.sinter.ops.Op;

/** A graph as Graphviz dot: inputs and parameters as ellipses, ops as boxes, edges labelled with tensor types. */
public final class Graphviz {
    private Graphviz() {}

    public static String toDot(Graph g) {
        StringBuilder sb = new StringBuilder("digraph sinter {\n  rankdir=TB;\n  node [fontname=\"monospace\", fontsize=10];\n");
        Map<Value, String> source = new IdentityHashMap<>();
        int k = 0;
        for (Value v : g.inputs()) {
            String id = "in" + k++;
            source.put(v, id);
            sb.append("  ").append(id).append(" [shape=ellipse, label=\"input ").append(v).append("\"];\n");
        }
        for (var e : g.randomInputs().entrySet()) {
            String id = "r" + k++;
            source.put(e.getKey(), id);
            sb.append("  ").append(id).append(" [shape=ellipse, style=dotted, label=\"").append(escape(org.sinter.ops.Op.describe(e.getValue()))).append("\"];\n");
        }
        for (var e : g.parameters().entrySet()) {
            String id = "p" + k++;
            source.put(e.getKey(), id);
            sb.append("  ").append(id).append(" [shape=ellipse, style=dashed, label=\"").append(escape(e.getValue().name())).append("\"];\n");
        }
        int n = 0;
        for (Node node : g.nodes()) {
            String id = "n" + n++;
            sb.append("  ").append(id).append(" [shape=box, label=\"").append(escape(Op.describe(node.op()))).append("\"];\n");
            for (Value in : node.inputs()) {
                sb.append("  ").append(source.get(in)).append(" -> ").append(id).append(" [label=\"").append(GraphText.spec(in.spec())).append("\"];\n");
            }
            for (Value out : node.outputs()) source.put(out, id);
        }
        int o = 0;
        for (Value v : g.outputs()) {
            String id = "out" + o++;
            sb.append("  ").append(id).append(" [shape=ellipse, style=bold, label=\"output\"];\n");
            sb.append("  ").append(source.get(v)).append(" -> ").append(id).append(" [label=\"").append(GraphText.spec(v.spec())).append("\"];\n");
        }
        return sb.append("}\n").toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
