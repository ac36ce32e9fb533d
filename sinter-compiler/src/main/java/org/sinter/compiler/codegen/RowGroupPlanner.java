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
import org.sinter.ops.ReduceOps;

/**
 * Finds row groups: starting from each reduction of the last dimension (sum, mean, max, keeping the
 * dimension, float32), walking the graph in order, elementwise ops on that row shape or its row
 * scalars join while the group can still run as one step at its last node. Groups without a
 * reduction are left to the elementwise planner.
 */
public final class RowGroupPlanner {
    private RowGroupPlanner() {}

    public static List<RowGroup> plan(Graph g) {
        List<Node> nodes = g.nodes();
        Map<Value, List<Integer>> consumers = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) for (Value v : nodes.get(i).inputs()) consumers.computeIfAbsent(v, k -> new ArrayList<>()).add(i);
        Map<Node, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) index.put(nodes.get(i), i);
        Map<Node, List<Node>> groupOf = new IdentityHashMap<>();
        Map<List<Node>, int[]> shapeOf = new IdentityHashMap<>();
        List<List<Node>> groups = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (!candidate(g, n)) continue;
            List<Node> target = null;
            for (Value in : n.inputs()) {
                List<Node> cand = in.producer() == null ? null : groupOf.get(in.producer());
                if (cand != null && fits(n, shapeOf.get(cand)) && FusionPlanner.canJoin(cand, i, consumers, index)) {
                    target = cand;
                    break;
                }
            }
            if (target == null) {
                // A new group over the row shape this node works on; a row-scalar op cannot start one.
                int[] row = n.op() instanceof ReduceOps.Reduce ? n.inputs().get(0).shape() : n.output().shape();
                if (!fits(n, row)) continue;
                target = new ArrayList<>();
                groups.add(target);
                shapeOf.put(target, row);
            }
            target.add(n);
            groupOf.put(n, target);
        }
        Set<Value> results = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        results.addAll(g.results());
        List<RowGroup> out = new ArrayList<>();
        for (List<Node> members : groups) {
            if (members.size() < 2 || members.stream().noneMatch(m -> m.op() instanceof ReduceOps.Reduce)) continue;
            out.add(describe(g, members, consumers, nodes, results, shapeOf.get(members)));
        }
        return out;
    }

    /** A reduction of the last dimension (sum, mean, max; keepdim; float32), or an elementwise op. */
    static boolean candidate(Graph g, Node n) {
        if (n.op() instanceof ReduceOps.Reduce r) {
            Value x = n.inputs().get(0);
            int rank = x.shape().length;
            boolean lastDim = r.dims().size() == 1 && (r.dims().get(0) == rank - 1 || r.dims().get(0) == -1);
            boolean supported = r.kind() == ReduceOps.Kind.SUM || (r.kind() == ReduceOps.Kind.MAX && !r.mean());
            return rank >= 1 && lastDim && r.keepDim() && supported && x.dtype() == DType.FLOAT32 && n.output().dtype() == DType.FLOAT32;
        }
        return FusionPlanner.fusible(g, n) && n.output().shape().length >= 1;
    }

    /** Whether {@code n} works on rows of {@code row} ({@code [..., N]}) or on their scalars ({@code [..., 1]}). */
    static boolean fits(Node n, int[] row) {
        int[] scalar = row.clone();
        scalar[row.length - 1] = 1;
        if (n.op() instanceof ReduceOps.Reduce) return Arrays.equals(n.inputs().get(0).shape(), row);
        int[] out = n.output().shape();
        boolean rowValued = Arrays.equals(out, row);
        if (!rowValued && !Arrays.equals(out, scalar)) return false;
        for (Value in : n.inputs()) {
            if (in.shape().length == 0) continue;
            if (!org.sinter.Shape.broadcastableTo(in.shape(), rowValued ? row : scalar)) return false;
        }
        return true;
    }

    private static RowGroup describe(Graph g, List<Node> members, Map<Value, List<Integer>> consumers, List<Node> nodes, Set<Value> results, int[] shape) {
        FusionPlanner.Boundary b = FusionPlanner.boundary(g, members, consumers, nodes, results);
        return new RowGroup(List.copyOf(members), b.inputs(), b.scalars(), b.outputs(), shape);
    }
}
