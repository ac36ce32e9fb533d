package org.sinter.compiler.passes.rewrite;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sinter.DType;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.OpCodec;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.Op;
import org.sinter.compiler.passes.rewrite.TemplateGraph.NodeLine;

/**
 * Finds where a rule's pattern occurs in a graph. Structure first: the pattern's nodes are placed
 * on graph nodes of the same kind and arity along its {@link MatchPlan}, backtracking, with each
 * pattern name standing for one graph value throughout (so {@code Binary{fn: MUL}(%x, %x)} only
 * matches a square). Then the symbols: unified from the matched values' specs and ops, after which
 * the pattern is instantiated under the binding and each of its ops must <em>equal</em> the matched
 * op and each spec the matched spec, so attributes, shapes, dtypes and broadcasting are exactly
 * those the rule was verified for. Last, the rule's {@code where} conditions, and two graph
 * conditions: a value computed inside the match and read outside it (an escaping intermediate)
 * refuses the match unless the rule allows it, and no pattern input may depend on the match (the
 * replacement, which reads the inputs, would depend on itself).
 */
final class Matcher {
    private final Rule rule;
    private final GraphIndex index;
    private final int limit;
    private final List<Match> found = new ArrayList<>();
    private final Map<String, Value> values = new HashMap<>();
    private final Map<NodeLine, Node> placed = new IdentityHashMap<>();
    private final Set<Node> used = Collections.newSetFromMap(new IdentityHashMap<>());

    private Matcher(Rule rule, GraphIndex index, int limit) {
        this.rule = rule;
        this.index = index;
        this.limit = limit;
    }

    /** Up to {@code limit} matches of {@code rule}, in graph order of the anchor. */
    static List<Match> find(Rule rule, GraphIndex index, int limit) {
        Matcher m = new Matcher(rule, index, limit);
        m.place(0);
        return m.found;
    }

    private void place(int step) {
        if (found.size() >= limit) return;
        List<MatchPlan.Step> steps = rule.plan.steps();
        if (step == steps.size()) {
            Match m = complete();
            if (m != null) found.add(m);
            return;
        }
        MatchPlan.Step s = steps.get(step);
        for (Node c : candidates(s)) {
            List<String> bound = tryPlace(s.node(), c);
            if (bound == null) continue;
            place(step + 1);
            for (String name : bound) values.remove(name);
            placed.remove(s.node());
            used.remove(c);
        }
    }

    private List<Node> candidates(MatchPlan.Step s) {
        return switch (s) {
            case MatchPlan.Anchor a -> index.nodesOfKind(a.node().kind());
            case MatchPlan.Producer p -> {
                Value v = values.get(p.value());
                int at = p.node().outputs().stream().map(TemplateGraph.Output::name).toList().indexOf(p.value());
                yield v.producer() != null && v.outputIndex() == at ? List.of(v.producer()) : List.of();
            }
            case MatchPlan.Consumer c -> index.users(values.get(c.value())).stream().filter(u -> u.slot() == c.slot()).map(GraphIndex.Use::node).toList();
        };
    }

    /** Places pattern node {@code p} on graph node {@code c}: the names it newly bound, or null when they conflict. */
    private List<String> tryPlace(NodeLine p, Node c) {
        if (used.contains(c) || !OpCodec.kind(c.op()).equals(p.kind()) || c.inputs().size() != p.args().size()
                || c.outputs().size() != p.outputs().size()) {
            return null;
        }
        Op literal = rule.literalOps.get(p);
        if (literal != null && !literal.equals(c.op())) return null;
        List<String> bound = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; ok && i < p.outputs().size(); i++) ok = bind(p.outputs().get(i).name(), c.outputs().get(i), bound);
        for (int i = 0; ok && i < p.args().size(); i++) ok = bind(p.args().get(i), c.inputs().get(i), bound);
        if (!ok) {
            for (String name : bound) values.remove(name);
            return null;
        }
        placed.put(p, c);
        used.add(c);
        return bound;
    }

    private boolean bind(String name, Value v, List<String> bound) {
        Value old = values.get(name);
        if (old != null) return old == v;
        values.put(name, v);
        bound.add(name);
        return true;
    }

    /** The match for the current placement, or null when symbols, conditions or the graph refuse it. */
    private Match complete() {
        Binding b = new Binding();
        List<NodeLine> lines = rule.pattern.nodes();
        try {
            for (TemplateGraph.Input in : rule.pattern.inputs) {
                if (!TemplateText.unifySpec(in.spec(), TemplateGraph.specText(values.get(in.name()).spec()), b)) return null;
            }
            for (String t : rule.dtypeSymbols) if (!DType.valueOf(((String) b.get(t)).toUpperCase(Locale.ROOT)).isFloatingPoint()) return null;
            for (Constraint c : rule.where) if (!(c instanceof Constraint.Compare) && !c.holds(b, values::get, index.graph)) return null;
            for (NodeLine n : lines) {
                if (!rule.literalOps.containsKey(n) && !TemplateText.unify(n.op(), OpCodec.print(placed.get(n).op()), b)) return null;
            }
            TemplateGraph.Instance inst = rule.pattern.instantiate(b);
            for (int i = 0; i < lines.size(); i++) {
                Node want = inst.nodes().get(i), got = placed.get(lines.get(i));
                if (!want.op().equals(got.op())) return null;
                for (int k = 0; k < got.outputs().size(); k++) if (!want.outputs().get(k).spec().equals(got.outputs().get(k).spec())) return null;
            }
            for (Constraint c : rule.where) if (c instanceof Constraint.Compare && !c.holds(b, values::get, index.graph)) return null;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null; // the pattern cannot be instantiated for these values: it does not match
        }
        if (!rule.allowEscape && escapes()) return null;
        if (inputsDependOnMatch()) return null;
        return new Match(rule, b, Map.copyOf(values), lines.stream().map(placed::get).toList());
    }

    /** Whether a value the match computes but does not return is read outside the match. */
    private boolean escapes() {
        for (NodeLine n : rule.pattern.nodes()) {
            for (TemplateGraph.Output o : n.outputs()) {
                if (rule.pattern.returns.contains(o.name())) continue;
                Value v = values.get(o.name());
                if (index.isResult(v)) return true;
                for (GraphIndex.Use u : index.users(v)) if (!used.contains(u.node())) return true;
            }
        }
        return false;
    }

    /** Whether some pattern input is computed from a matched node's output. */
    private boolean inputsDependOnMatch() {
        int first = used.stream().mapToInt(index::position).min().orElse(0);
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> todo = new ArrayDeque<>();
        for (TemplateGraph.Input in : rule.pattern.inputs) {
            Node p = values.get(in.name()).producer();
            if (p != null) todo.add(p);
        }
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (used.contains(n)) return true;
            if (index.position(n) < first || !seen.add(n)) continue;
            for (Value in : n.inputs()) if (in.producer() != null) todo.push(in.producer());
        }
        return false;
    }
}
