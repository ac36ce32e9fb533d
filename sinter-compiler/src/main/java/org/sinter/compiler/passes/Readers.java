package org.sinter.compiler.passes;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;

/** Which nodes read each value of a graph: what the pattern-matching passes ask before they rewrite. */
final class Readers {
    private Readers() {}

    /** Every value read by a node, with its readers in graph order (keyed by identity: Value has no equals). */
    static Map<Value, List<Node>> of(Graph g) {
        Map<Value, List<Node>> readers = new IdentityHashMap<>();
        for (Node n : g.nodes()) for (Value v : n.inputs()) readers.computeIfAbsent(v, x -> new ArrayList<>()).add(n);
        return readers;
    }

    /** The one node reading {@code v} when {@code v} is not a graph output; else null. */
    static Node sole(Graph g, Value v, Map<Value, List<Node>> readers) {
        List<Node> r = readers.getOrDefault(v, List.of());
        return r.size() == 1 && !g.outputs().contains(v) ? r.getFirst() : null;
    }
}
