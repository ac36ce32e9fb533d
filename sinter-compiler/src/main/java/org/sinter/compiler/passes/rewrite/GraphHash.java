package org.sinter.compiler.passes.rewrite;

import java.util.IdentityHashMap;
import java.util.Map;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;

/**
 * A 64-bit structural hash of a graph, the search's duplicate filter: equal for graphs that
 * compute the same expressions however their nodes are ordered and numbered (two rewrites applied
 * in either order give one graph), different, but for collisions, for graphs that differ. A value
 * hashes its op, its inputs' hashes and which output it is; the graph hashes its results in order
 * and the multiset of its nodes, so a computation done twice differs from one done once.
 */
final class GraphHash {
    private GraphHash() {}

    static long of(Graph g) {
        Map<Value, Long> h = new IdentityHashMap<>();
        int k = 0;
        for (Value v : g.inputs()) h.put(v, mix(0x1000 + k++));
        k = 0;
        for (Value v : g.randomInputs().keySet()) h.put(v, mix(0x2000 + k++));
        g.parameters().forEach((v, p) -> {
            long x = p.name().hashCode() * 31L + v.spec().hashCode();
            // Scalar constants hash by value: "folded.mul.3" and "const0" holding 2.0 are the same constant.
            h.put(v, mix(p.constant() && !Double.isNaN(p.scalar()) ? Double.doubleToLongBits(p.scalar()) ^ v.spec().hashCode() : x));
        });
        long nodes = 0;
        for (Node n : g.nodes()) {
            long x = n.op().hashCode();
            for (Value in : n.inputs()) x = mix(x * 31 + h.get(in));
            nodes += mix(x);
            for (Value out : n.outputs()) h.put(out, mix(x + out.outputIndex()));
        }
        long result = nodes;
        for (Value v : g.outputs()) result = mix(result * 31 + h.get(v));
        for (var e : g.updates().entrySet()) result = mix(result * 31 + h.get(e.getKey()) * 17 + h.get(e.getValue()));
        return result;
    }

    /** SplitMix64's finaliser: spreads small differences over all 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
