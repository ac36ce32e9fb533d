package org.sinter.compiler.codegen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.DType;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.LinalgOps;
import org.sinter.ops.ViewOps;

/**
 * Finds the matrix products whose result feeds one elementwise group and nothing else (a linear
 * layer's bias and activation, a residual add), and the products whose right operand is a
 * constant, so {@link Program} runs each as one GEMM with an epilogue and a pre-packed weight.
 * Runs in two steps around the fusion planner: {@link #products} names the values an epilogue may
 * start from (so the fusion planner keeps one-op groups reading them), then {@link #plan} pairs
 * each product with the group that reads it.
 */
public final class GemmEpiloguePlanner {
    private GemmEpiloguePlanner() {}

    /** A candidate product: the bmm, the single-use views after it, and the value they end in. */
    record Chain(Node bmm, List<Node> views, Value product) {}

    /**
     * The float32 single-matrix products of {@code g}, each followed through the reshaping views
     * that are its result's only reader (keyed by the value the chain ends in).
     */
    static Map<Value, Chain> products(Graph g) {
        Map<Value, List<Node>> readers = readers(g);
        Set<Value> results = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        results.addAll(g.results());
        Map<Value, Chain> out = new IdentityHashMap<>();
        for (Node n : g.nodes()) {
            if (!(n.op() instanceof LinalgOps.Bmm) || !eligible(n)) continue;
            List<Node> views = new ArrayList<>();
            Value v = n.output();
            while (!results.contains(v) && readers.getOrDefault(v, List.of()).size() == 1) {
                Node r = readers.get(v).getFirst();
                if (!reshapes(r, v)) break;
                views.add(r);
                v = r.output();
            }
            out.put(v, new Chain(n, List.copyOf(views), v));
        }
        return out;
    }

    /** Pairs products with the fusion group that alone reads them; products with a constant B and no epilogue get a group too. */
    static List<GemmGroup> plan(Graph g, Map<Value, Chain> products, List<FusionGroup> groups) {
        Map<Value, List<Node>> readers = readers(g);
        Set<Value> results = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        results.addAll(g.results());
        List<GemmGroup> out = new ArrayList<>();
        Set<Chain> used = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (FusionGroup fg : groups) {
            if (fg.rowTail() != null) continue;
            for (Value in : fg.inputs()) {
                Chain c = products.get(in);
                if (c == null || used.contains(c) || results.contains(in) || !Arrays.equals(in.shape(), fg.shape())) continue;
                if (!readOnlyBy(readers.getOrDefault(in, List.of()), fg) || epilogueNest(fg) == null) continue;
                used.add(c);
                out.add(new GemmGroup(c.bmm(), c.views(), fg, in, constant(g, c.bmm().inputs().get(1))));
                break;
            }
        }
        for (Chain c : products.values()) {
            if (!used.contains(c) && constant(g, c.bmm().inputs().get(1))) out.add(new GemmGroup(c.bmm(), List.of(), null, c.bmm().output(), true));
        }
        return out;
    }

    /**
     * The loop nest an epilogue runs block by block: rows of the product outside, its last dimension
     * inside, and nothing else (a broadcast that splits the rows into more loops is not an epilogue); else null.
     */
    static LoopNest epilogueNest(FusionGroup fg) {
        List<int[]> shapes = new ArrayList<>();
        for (Value v : fg.inputs()) shapes.add(v.shape());
        for (Value v : fg.outputs()) shapes.add(v.shape());
        if (fg.shape().length == 0) return null;
        LoopNest nest = LoopNest.of(fg.shape(), shapes, true);
        return nest.rank() == 2 ? nest : null;
    }

    private static boolean readOnlyBy(List<Node> readers, FusionGroup fg) {
        if (readers.isEmpty()) return false;
        for (Node r : readers) if (!fg.nodes().contains(r)) return false;
        return true;
    }

    private static boolean eligible(Node bmm) {
        int[] s = bmm.output().shape();
        return s.length == 3 && s[0] == 1 && s[1] > 0 && s[2] > 0 && bmm.output().dtype() == DType.FLOAT32
                && bmm.inputs().get(0).dtype() == DType.FLOAT32 && bmm.inputs().get(1).dtype() == DType.FLOAT32
                && bmm.inputs().get(0).shape()[2] > 0;
    }

    /** A view that keeps the dense row-major layout and the last dimension: the GEMM's rows are still the view's rows. */
    private static boolean reshapes(Node r, Value from) {
        boolean shapeOnly = r.op() instanceof ViewOps.Reshape || r.op() instanceof ViewOps.Squeeze || r.op() instanceof ViewOps.Unsqueeze;
        if (!shapeOnly || r.outputs().size() != 1) return false;
        int[] a = from.shape(), b = r.output().shape();
        return b.length > 0 && a[a.length - 1] == b[b.length - 1];
    }

    /** Whether {@code v} is a constant of the graph (a frozen weight after folding). */
    static boolean constant(Graph g, Value v) {
        Graph.Parameter p = g.parameter(v);
        return p != null && p.constant() && p.tensor() != null && !p.tensor().isWrappedNumber();
    }

    private static Map<Value, List<Node>> readers(Graph g) {
        Map<Value, List<Node>> readers = new IdentityHashMap<>();
        for (Node n : g.nodes()) for (Value v : n.inputs()) readers.computeIfAbsent(v, k -> new ArrayList<>()).add(n);
        return readers;
    }
}
