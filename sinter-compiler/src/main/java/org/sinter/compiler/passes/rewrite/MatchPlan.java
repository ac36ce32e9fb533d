package org.sinter.compiler.passes.rewrite;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sinter.compiler.passes.rewrite.TemplateGraph.NodeLine;

/**
 * The order in which the matcher places a pattern's nodes: first the node computing the pattern's
 * first result (the anchor: every node of its kind is a candidate), then, one at a time, a node
 * connected to those placed, found through an edge: the producer of a value already matched (one
 * candidate), or a reader of one (its users). So matching follows the graph's edges from the
 * pattern's outputs, and a multi-output pattern (two products of one {@code %x}) is found through
 * the input its parts share.
 */
record MatchPlan(List<Step> steps) {
    sealed interface Step permits Anchor, Producer, Consumer {
        NodeLine node();
    }

    /** The first node: candidates are all graph nodes of its kind. */
    record Anchor(NodeLine node) implements Step {}

    /** The node computing {@code value}, a name already matched: its graph producer is the one candidate. */
    record Producer(NodeLine node, String value) implements Step {}

    /** A node reading {@code value}, a name already matched, at argument {@code slot}: candidates are the value's users there. */
    record Consumer(NodeLine node, String value, int slot) implements Step {}

    static MatchPlan of(Rule r) {
        List<NodeLine> todo = new ArrayList<>(r.pattern.nodes());
        NodeLine anchor = r.pattern.producer(r.pattern.returns.get(0));
        List<Step> steps = new ArrayList<>(List.of(new Anchor(anchor)));
        todo.remove(anchor);
        Set<String> known = new HashSet<>(names(anchor));
        while (!todo.isEmpty()) {
            Step next = null;
            for (NodeLine n : todo) {
                for (TemplateGraph.Output o : n.outputs()) if (next == null && known.contains(o.name())) next = new Producer(n, o.name());
            }
            for (NodeLine n : todo) {
                for (int s = 0; s < n.args().size() && next == null; s++) if (known.contains(n.args().get(s))) next = new Consumer(n, n.args().get(s), s);
            }
            if (next == null) throw r.error("the pattern's nodes " + todo.stream().map(NodeLine::kind).toList() + " share no value with the rest");
            steps.add(next);
            todo.remove(next.node());
            known.addAll(names(next.node()));
        }
        return new MatchPlan(List.copyOf(steps));
    }

    private static List<String> names(NodeLine n) {
        List<String> out = new ArrayList<>(n.args());
        for (TemplateGraph.Output o : n.outputs()) out.add(o.name());
        return out;
    }
}
