package org.sinter.compiler.passes.rewrite;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.OpCodec;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.TensorSpec;

/**
 * Applies one match: a new graph in which the rule's replacement, instantiated under the match's
 * binding and reading the matched inputs, computes what the pattern's results did, and every
 * reader of those results reads the replacement's instead. Nodes nothing reads any more (the
 * matched ones, unless an allowed escape keeps them) are left out, and the rest are put in a
 * topological order that keeps the old order where it can: the replacement goes where the last
 * matched node was, or earlier, and a reader of a result that came before an input the
 * replacement needs moves after it (TASO's merge of two products whose second weight is computed
 * after the first product was used).
 */
final class Substitution {
    private Substitution() {}

    /** The rewritten graph; IllegalArgumentException (naming the rule) when the replacement does not fit here. */
    static Graph apply(Graph g, Match m) {
        Map<Value, Integer> replaced = new IdentityHashMap<>();
        List<Value> results = m.results();
        for (int i = 0; i < results.size(); i++) replaced.putIfAbsent(results.get(i), i);
        List<Value> blockInputs = m.rule().pattern.inputs.stream().map(in -> m.values().get(in.name())).toList();
        Set<Node> live = liveNodes(g, replaced, blockInputs);
        if (live == null) throw m.rule().error("nothing reads the matched results");
        List<Node> order = order(g, live, replaced, blockInputs, m.nodes());

        Graph out = new Graph();
        Map<Value, Value> map = new IdentityHashMap<>();
        for (Value v : g.inputs()) map.put(v, out.addInput(v.spec()));
        g.randomInputs().forEach((v, fill) -> map.put(v, out.addRandomInput(v.spec(), fill)));
        g.parameters().forEach((v, p) -> map.put(v, p.constant() ? out.addConstant(p.name(), v.spec(), p.tensor())
                : out.addParameter(p.name(), v.spec(), p.tensor())));
        for (Node n : order) {
            if (n == null) {
                emitReplacement(out, m, map, results, blockInputs);
                continue;
            }
            List<Value> args = n.inputs().stream().map(map::get).toList();
            boolean readsReplacement = n.inputs().stream().anyMatch(replaced::containsKey);
            Node copy = readsReplacement ? out.add(n.op(), args) : out.add(n.op(), args, n.outputs().stream().map(Value::spec).toArray(TensorSpec[]::new));
            for (int i = 0; i < n.outputs().size(); i++) {
                if (!copy.outputs().get(i).spec().equals(n.outputs().get(i).spec())) {
                    throw m.rule().error(OpCodec.print(n.op()) + " reading the replacement gives " + copy.outputs().get(i).spec() + ", not "
                            + n.outputs().get(i).spec());
                }
                map.put(n.outputs().get(i), copy.outputs().get(i));
            }
        }
        out.setOutputs(g.outputs().stream().map(map::get).toList());
        g.updates().forEach((p, v) -> out.setUpdate(map.get(p), map.get(v)));
        out.removeUnusedBindings();
        return out;
    }

    private static void emitReplacement(Graph out, Match m, Map<Value, Value> map, List<Value> results, List<Value> blockInputs) {
        Map<String, Value> inputs = new LinkedHashMap<>();
        List<TemplateGraph.Input> declared = m.rule().pattern.inputs;
        for (int i = 0; i < declared.size(); i++) inputs.put(declared.get(i).name(), map.get(blockInputs.get(i)));
        List<Value> made = m.rule().replacement.instantiateInto(out, inputs, m.binding().copy()).results();
        for (int i = 0; i < results.size(); i++) {
            if (!made.get(i).spec().equals(results.get(i).spec())) {
                throw m.rule().error("the replacement's result " + i + " is " + made.get(i).spec() + " here, the pattern's " + results.get(i).spec());
            }
            map.put(results.get(i), made.get(i));
        }
    }

    /**
     * Nodes still read once the results are redirected to the replacement, walking back from what a
     * run must produce; null when nothing reads the replacement (the match was dead code).
     */
    private static Set<Node> liveNodes(Graph g, Map<Value, Integer> replaced, List<Value> blockInputs) {
        Set<Node> live = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Value> todo = new ArrayDeque<>(g.results());
        boolean blockLive = false;
        while (!todo.isEmpty()) {
            Value v = todo.pop();
            if (replaced.containsKey(v)) {
                if (!blockLive) todo.addAll(blockInputs);
                blockLive = true;
            } else if (v.producer() != null && live.add(v.producer())) {
                todo.addAll(v.producer().inputs());
            }
        }
        return blockLive ? live : null;
    }

    /**
     * The live nodes and the replacement (null in the list) in a topological order, earliest old
     * position first; the replacement ranks as the last matched node.
     */
    private static List<Node> order(Graph g, Set<Node> live, Map<Value, Integer> replaced, List<Value> blockInputs, List<Node> matched) {
        Map<Node, Integer> position = new IdentityHashMap<>();
        for (Node n : g.nodes()) position.put(n, position.size());
        int blockRank = matched.stream().mapToInt(position::get).max().orElseThrow();
        Map<Node, List<Node>> readers = new IdentityHashMap<>();
        List<Node> blockReaders = new ArrayList<>();
        Map<Node, Integer> waiting = new IdentityHashMap<>();
        int blockWaiting = 0;
        Set<Node> countedForBlock = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Value in : blockInputs) {
            Node p = in.producer();
            if (p != null && countedForBlock.add(p)) {
                readers.computeIfAbsent(p, k -> new ArrayList<>()).add(null);
                blockWaiting++;
            }
        }
        for (Node n : g.nodes()) {
            if (!live.contains(n)) continue;
            Set<Node> deps = Collections.newSetFromMap(new IdentityHashMap<>());
            boolean readsBlock = false;
            for (Value in : n.inputs()) {
                if (replaced.containsKey(in)) readsBlock = true;
                else if (in.producer() != null) deps.add(in.producer());
            }
            for (Node d : deps) readers.computeIfAbsent(d, k -> new ArrayList<>()).add(n);
            if (readsBlock) blockReaders.add(n);
            waiting.put(n, deps.size() + (readsBlock ? 1 : 0));
        }
        record Ready(Node node, double rank) {}
        PriorityQueue<Ready> ready = new PriorityQueue<>((a, b) -> Double.compare(a.rank(), b.rank()));
        waiting.forEach((n, w) -> { if (w == 0) ready.add(new Ready(n, position.get(n))); });
        if (blockWaiting == 0) ready.add(new Ready(null, blockRank + 0.5));
        List<Node> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            Node n = ready.poll().node();
            order.add(n);
            List<Node> next = n == null ? blockReaders : readers.getOrDefault(n, List.of());
            for (Node r : next) {
                if (r == null) {
                    if (--blockWaiting == 0) ready.add(new Ready(null, blockRank + 0.5));
                } else if (waiting.merge(r, -1, Integer::sum) == 0) {
                    ready.add(new Ready(r, position.get(r)));
                }
            }
        }
        if (order.size() != waiting.size() + 1) throw new IllegalStateException("substitution: the rewritten graph has a cycle");
        return order;
    }
}
