package org.sinter.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.NodeProto;
import org.sinter.onnx.proto.Onnx.TensorProto;
import org.sinter.onnx.proto.Onnx.ValueInfoProto;

/**
 * Checks a graph's structure before anything runs: every value defined exactly once (by an input,
 * an initializer or one node's output), every name a node reads defined somewhere, no cycles, every
 * output defined. Returns the nodes in an order where each runs after the producers of its inputs
 * (ONNX requires files to be sorted already; a file that is not, but is acyclic, still loads).
 */
final class GraphChecker {
    private GraphChecker() {}

    static String nodeName(NodeProto n, int index) {
        return "node " + index + " '" + n.getName() + "' (" + n.getOpType() + ")";
    }

    static List<NodeProto> sortedNodes(GraphProto g, String where) {
        return sortedNodes(g, where, Set.of());
    }

    /**
     * {@code outer}: the names of the enclosing graphs, which a sub-graph may read. A node with
     * sub-graphs also waits for the producers of the values its bodies read from this graph.
     */
    static List<NodeProto> sortedNodes(GraphProto g, String where, Set<String> outer) {
        Map<String, String> definedBy = new HashMap<>();
        for (ValueInfoProto in : g.getInputList()) {
            if (in.getName().isEmpty()) throw new OnnxException(where + ": a graph input has an empty name");
            if (definedBy.put(in.getName(), "graph input") != null) throw new OnnxException(where + ": graph input '" + in.getName() + "' is declared twice");
        }
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            if (t.getName().isEmpty()) throw new OnnxException(where + ": an initializer has an empty name");
            if (!initializers.add(t.getName())) throw new OnnxException(where + ": initializer '" + t.getName() + "' is defined twice");
            definedBy.putIfAbsent(t.getName(), "initializer"); // an initializer may also be listed as an input (its default value)
        }
        List<NodeProto> nodes = g.getNodeList();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            if (n.getOpType().isEmpty()) throw new OnnxException(where + ": node " + i + " '" + n.getName() + "' has no op_type");
            for (String out : n.getOutputList()) {
                if (out.isEmpty()) continue; // an omitted optional output
                String before = definedBy.get(out);
                if (before == null && producer.containsKey(out)) before = nodeName(nodes.get(producer.get(out)), producer.get(out));
                if (before != null) {
                    throw new OnnxException(where + ": " + nodeName(n, i) + " defines '" + out + "', which is already defined by " + before
                            + " (a graph is in SSA form: each name is defined once)");
                }
                producer.put(out, i);
            }
        }
        int[] waiting = new int[nodes.size()];
        Map<Integer, List<Integer>> readers = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            Set<String> reads = new java.util.LinkedHashSet<>(n.getInputList());
            for (String in : Subgraphs.nodeFreeNames(n)) if (producer.containsKey(in)) reads.add(in); // a body's implicit inputs
            for (String in : reads) {
                if (in.isEmpty() || definedBy.containsKey(in)) continue;
                Integer p = producer.get(in);
                if (p == null && outer.contains(in)) continue; // read from the enclosing graph
                if (p == null) {
                    throw new OnnxException(where + ": " + nodeName(n, i) + " reads '" + in + "', which no graph input, initializer or node defines");
                }
                waiting[i]++;
                readers.computeIfAbsent(p, k -> new ArrayList<>()).add(i);
            }
        }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) if (waiting[i] == 0) ready.add(i);
        List<NodeProto> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(nodes.get(i));
            for (int r : readers.getOrDefault(i, List.of())) if (--waiting[r] == 0) ready.add(r);
        }
        if (order.size() != nodes.size()) {
            List<String> stuck = new ArrayList<>();
            for (int i = 0; i < nodes.size() && stuck.size() < 5; i++) if (waiting[i] > 0) stuck.add(nodeName(nodes.get(i), i));
            throw new OnnxException(where + ": the graph has a cycle: " + (nodes.size() - order.size()) + " nodes wait on each other, among them "
                    + String.join(", ", stuck));
        }
        for (ValueInfoProto out : g.getOutputList()) {
            if (!definedBy.containsKey(out.getName()) && !producer.containsKey(out.getName())) {
                throw new OnnxException(where + ": graph output '" + out.getName() + "' is not defined by any input, initializer or node");
            }
        }
        return order;
    }
}
