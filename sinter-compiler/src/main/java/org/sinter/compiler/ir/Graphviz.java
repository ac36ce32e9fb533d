package org.sinter.compiler.ir;

import java.util.IdentityHashMap;
import java.util.Map;
import org.sinter.ops.Op;

/**
 * A graph as Graphviz dot: inputs and parameters as ellipses, ops as boxes, edges labelled with
 * tensor types. A control-flow node's regions are dashed clusters beside it, their results tied to
 * the node by a dotted edge from the cluster.
 */
public final class Graphviz {
    private Graphviz() {}

    public static String toDot(Graph g) {
        StringBuilder sb = new StringBuilder("digraph sinter {\n  rankdir=TB;\n  compound=true;\n  node [fontname=\"monospace\", fontsize=10];\n");
        emit(sb, g, "", "  ", false);
        return sb.append("}\n").toString();
    }

    /** Writes {@code g}'s values and nodes with ids starting {@code prefix}; a region's inputs and results are its args and return. */
    private static void emit(StringBuilder sb, Graph g, String prefix, String indent, boolean region) {
        Map<Value, String> source = new IdentityHashMap<>();
        int k = 0;
        for (Value v : g.inputs()) {
            String id = prefix + "in" + k++;
            source.put(v, id);
            sb.append(indent).append(id).append(" [shape=ellipse, label=\"").append(region ? "arg " : "input ").append(v).append("\"];\n");
        }
        for (var e : g.randomInputs().entrySet()) {
            String id = prefix + "r" + k++;
            source.put(e.getKey(), id);
            sb.append(indent).append(id).append(" [shape=ellipse, style=dotted, label=\"").append(escape(Op.describe(e.getValue()))).append("\"];\n");
        }
        for (var e : g.parameters().entrySet()) {
            String id = prefix + "p" + k++;
            source.put(e.getKey(), id);
            sb.append(indent).append(id).append(" [shape=ellipse, style=dashed, label=\"").append(escape(e.getValue().name())).append("\"];\n");
        }
        int n = 0;
        for (Node node : g.nodes()) {
            String id = prefix + "n" + n++;
            sb.append(indent).append(id).append(" [shape=box, label=\"").append(escape(Op.describe(node.op()))).append("\"];\n");
            for (Value in : node.inputs()) {
                sb.append(indent).append(source.get(in)).append(" -> ").append(id).append(" [label=\"").append(GraphText.spec(in.spec())).append("\"];\n");
            }
            for (Value out : node.outputs()) source.put(out, id);
            for (var r : OpCodec.regions(node.op()).entrySet()) {
                String cluster = "cluster_" + id + "_" + r.getKey();
                sb.append(indent).append("subgraph ").append(cluster).append(" {\n").append(indent).append("  label=\"")
                        .append(escape(node.op().name() + " " + r.getKey())).append("\";\n").append(indent).append("  style=dashed;\n");
                String inner = id + "_" + r.getKey() + "_";
                emit(sb, r.getValue(), inner, indent + "  ", true);
                sb.append(indent).append("}\n");
                if (!r.getValue().outputs().isEmpty()) {
                    sb.append(indent).append(inner).append("out0 -> ").append(id).append(" [style=dotted, ltail=").append(cluster).append("];\n");
                }
            }
        }
        int o = 0;
        for (Value v : g.outputs()) {
            String id = prefix + "out" + o++;
            sb.append(indent).append(id).append(" [shape=ellipse, style=bold, label=\"").append(region ? "return" : "output").append("\"];\n");
            sb.append(indent).append(source.get(v)).append(" -> ").append(id).append(" [label=\"").append(GraphText.spec(v.spec())).append("\"];\n");
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
