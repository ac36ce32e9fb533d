package org.sinter.compiler.passes;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;

/**
 * Builds a new graph from an old one node by node: each node is copied (its inputs mapped), dropped,
 * or replaced by the values a rule returns (existing values, or new nodes the rule adds to the new
 * graph). Parameters and constants are carried over when something still reads them. Passes are
 * written as such rules.
 */
final class Rewriter {
    /** What a rule returns to drop a node (its outputs must be unused). */
    static final List<Value> DROP = List.of();

    private Rewriter() {}

    interface Rule {
        /** The new graph's values for {@code n}'s outputs, {@link #DROP}, or null to copy {@code n} as it is. */
        List<Value> rewrite(Node n, List<Value> args, Graph out);
    }

    /** The rewritten graph and how many nodes the rule replaced or dropped. */
    record Rewritten(Graph graph, int replaced) {}

    static Rewritten apply(Graph g, Rule rule) {
        Graph out = new Graph();
        Map<Value, Value> map = new IdentityHashMap<>();
        for (Value v : g.inputs()) map.put(v, out.addInput(v.spec()));
        // Random inputs stay even when unread: dropping a draw would shift every later draw.
        g.randomInputs().forEach((v, fill) -> map.put(v, out.addRandomInput(v.spec(), fill)));
        int replaced = 0;
        for (Node n : g.nodes()) {
            List<Value> args = new ArrayList<>(n.inputs().size());
            boolean complete = true;
            for (Value in : n.inputs()) {
                Value m = map.containsKey(in) || g.parameter(in) != null ? mapped(g, out, map, in) : null; // null: dropped
                complete &= m != null;
                args.add(m);
            }
            List<Value> outs = rule.rewrite(n, args, out);
            if (outs == null) {
                if (!complete) throw new IllegalStateException("rewrite: " + n + " reads a value that was dropped");
                outs = out.add(n.op(), args).outputs();
            } else {
                replaced++;
            }
            for (int i = 0; i < outs.size(); i++) map.put(n.outputs().get(i), outs.get(i));
        }
        List<Value> results = new ArrayList<>();
        for (Value v : g.outputs()) results.add(mapped(g, out, map, v));
        out.setOutputs(results);
        g.updates().forEach((p, v) -> out.setUpdate(mapped(g, out, map, p), mapped(g, out, map, v)));
        out.removeUnusedBindings(); // read only by nodes that were dropped or replaced
        return new Rewritten(out, replaced);
    }

    /** The new graph's value for {@code v}; a parameter or constant is bound to the new graph on first use. */
    private static Value mapped(Graph g, Graph out, Map<Value, Value> map, Value v) {
        Value m = map.get(v);
        if (m != null) return m;
        Graph.Parameter p = g.parameter(v);
        if (p == null) throw new IllegalStateException("rewrite: " + v + " is used but was dropped or never defined");
        m = p.constant() ? out.addConstant(p.name(), v.spec(), p.tensor()) : out.addParameter(p.name(), v.spec(), p.tensor());
        map.put(v, m);
        return m;
    }
}
