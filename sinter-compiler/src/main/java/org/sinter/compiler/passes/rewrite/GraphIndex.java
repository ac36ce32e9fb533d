package org.sinter.compiler.passes.rewrite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.OpCodec;
import org.sinter.compiler.ir.Value;

/** What matching asks of a graph, computed once per graph: nodes by kind, each value's users, node positions, and the values a run must produce. */
final class GraphIndex {
    /** {@code node} reads the value at argument {@code slot}. */
    record Use(Node node, int slot) {}

    final Graph graph;
    private final Map<String, List<Node>> byKind = new HashMap<>();
    private final Map<Value, List<Use>> users = new IdentityHashMap<>();
    private final Map<Node, Integer> position = new IdentityHashMap<>();
    private final Set<Value> results = Collections.newSetFromMap(new IdentityHashMap<>());

    GraphIndex(Graph g) {
        this.graph = g;
        for (Node n : g.nodes()) {
            position.put(n, position.size());
            byKind.computeIfAbsent(OpCodec.kind(n.op()), k -> new ArrayList<>()).add(n);
            for (int s = 0; s < n.inputs().size(); s++) users.computeIfAbsent(n.inputs().get(s), k -> new ArrayList<>()).add(new Use(n, s));
        }
        results.addAll(g.results());
        results.addAll(g.updates().keySet());
    }

    List<Node> nodesOfKind(String kind) {
        return byKind.getOrDefault(kind, List.of());
    }

    List<Use> users(Value v) {
        return users.getOrDefault(v, List.of());
    }

    int position(Node n) {
        return position.get(n);
    }

    /** Whether a run must produce {@code v} (a graph output or a parameter's new value). */
    boolean isResult(Value v) {
        return results.contains(v);
    }
}
