package org.sinter.compiler.passes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.Op;

/**
 * Computes each distinct (op, inputs) once: ops are values with equality, and graph ops are pure,
 * so a second node equal to an earlier one reuses its outputs. Equal constants merge first, so
 * {@code x * 2.0} written twice is one multiplication.
 */
public final class CommonSubexpressionElimination implements Pass {
    @Override public String name() { return "common-subexpression elimination"; }

    private record Key(Op op, List<Value> inputs) {}

    private record ConstantKey(org.sinter.DType dtype, double value, boolean wrapped) {}

    @Override
    public Result run(Graph g) {
        Map<Key, List<Value>> seen = new HashMap<>();
        Map<ConstantKey, Value> constants = new HashMap<>();
        var r = Rewriter.apply(g, (n, args, out) -> {
            List<Value> canon = args.stream().map(a -> canonicalConstant(out, a, constants)).toList();
            List<Value> earlier = seen.get(new Key(n.op(), canon));
            if (earlier != null) return earlier;
            List<Value> outs = out.add(n.op(), canon).outputs();
            seen.put(new Key(n.op(), canon), outs);
            return outs;
        });
        int merged = r.graph().nodes().size() < g.nodes().size() ? g.nodes().size() - r.graph().nodes().size() : 0;
        return merged == 0 ? Result.unchanged(g) : new Result(r.graph(), "merged " + merged + " repeated computation" + (merged == 1 ? "" : "s"));
    }

    /** The first constant with the same dtype, value and promotion behaviour as {@code v}, or {@code v}. */
    private static Value canonicalConstant(Graph out, Value v, Map<ConstantKey, Value> constants) {
        Graph.Parameter p = out.parameter(v);
        if (p == null || !p.constant()) return v;
        var key = new ConstantKey(v.dtype(), p.scalar(), p.tensor().isWrappedNumber());
        if (Double.isNaN(key.value())) return v;
        return constants.computeIfAbsent(key, k -> v);
    }
}
