package org.sinter.compiler.ir;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.sinter.ops.Op;
import org.sinter.ops.TensorSpec;

/**
 * Rebuilds a graph value by value, optionally with new input specs and rewritten ops; output specs
 * are recomputed by each op's meta function, so the copy is well typed or the rebuild fails naming the op.
 */
public final class GraphCopy {
    private GraphCopy() {}

    /**
     * @param inputSpecs the new graph's input specs (null: the same)
     * @param rewrite    maps (node index, op) to the op to use in the copy
     */
    public static Graph copy(Graph g, List<TensorSpec> inputSpecs, BiFunction<Integer, Op, Op> rewrite) {
        return copy(g, inputSpecs, rewrite, false);
    }

    /**
     * As {@link #copy(Graph, List, BiFunction)}; with {@code freeze}, every bound parameter the graph
     * does not write becomes a constant ({@code torch.jit.freeze}: the caller promises the weights stay).
     */
    public static Graph copy(Graph g, List<TensorSpec> inputSpecs, BiFunction<Integer, Op, Op> rewrite, boolean freeze) {
        Graph out = new Graph();
        Map<Value, Value> map = new IdentityHashMap<>();
        for (int i = 0; i < g.inputs().size(); i++) {
            Value v = g.inputs().get(i);
            map.put(v, out.addInput(inputSpecs == null ? v.spec() : inputSpecs.get(i)));
        }
        g.randomInputs().forEach((v, fill) -> map.put(v, out.addRandomInput(v.spec(), fill)));
        g.parameters().forEach((v, p) -> {
            boolean constant = p.constant() || freeze && p.tensor() != null && !g.updates().containsKey(v);
            map.put(v, constant ? out.addConstant(p.name(), v.spec(), p.tensor()) : out.addParameter(p.name(), v.spec(), p.tensor()));
        });
        int k = 0;
        for (Node n : g.nodes()) {
            List<Value> args = new ArrayList<>(n.inputs().size());
            for (Value in : n.inputs()) args.add(map.get(in));
            Node copy = out.add(rewrite.apply(k++, n.op()), args);
            for (int i = 0; i < n.outputs().size(); i++) map.put(n.outputs().get(i), copy.outputs().get(i));
        }
        List<Value> outs = new ArrayList<>();
        for (Value v : g.outputs()) outs.add(map.get(v));
        out.setOutputs(outs);
        g.updates().forEach((p, v) -> out.setUpdate(map.get(p), map.get(v)));
        return out;
    }
}
