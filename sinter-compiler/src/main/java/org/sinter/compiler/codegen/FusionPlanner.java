package org.sinter.compiler.codegen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.DType;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.kernels.BinaryFn;
import org.sinter.kernels.VectorFns;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.UnaryOps;

/**
 * Partitions a graph's elementwise float32 ops into fusion groups: walking the nodes in order, a
 * fusible node joins the group of the first of its producers that computes the same shape, as
 * long as the group can still run as one step at its last node (no node outside the group reads
 * a member's result before then). Groups of one op stay eager: a generated loop only pays when it
 * saves a round trip through memory.
 */
public final class FusionPlanner {
    private static final Set<BinaryFn> BINARY = Set.of(BinaryFn.ADD, BinaryFn.SUB, BinaryFn.MUL, BinaryFn.DIV, BinaryFn.MAXIMUM, BinaryFn.MINIMUM);

    private FusionPlanner() {}

    public static List<FusionGroup> plan(Graph g) {
        return plan(g, java.util.Set.of());
    }

    /** Groups over the nodes not in {@code taken} (those another planner has claimed). */
    public static List<FusionGroup> plan(Graph g, Set<Node> taken) {
        return plan(g, taken, Set.of());
    }

    /**
     * As {@link #plan(Graph, Set)}, also keeping one-op groups that read one of {@code epilogueSources}
     * (a matrix product's result, which the op can post-process inside the GEMM).
     */
    public static List<FusionGroup> plan(Graph g, Set<Node> taken, Set<Value> epilogueSources) {
        List<Node> nodes = g.nodes();
        Map<Node, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) index.put(nodes.get(i), i);
        Map<Value, List<Integer>> consumers = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) for (Value v : nodes.get(i).inputs()) consumers.computeIfAbsent(v, k -> new ArrayList<>()).add(i);

        Map<Node, List<Node>> groupOf = new IdentityHashMap<>();
        List<List<Node>> groups = new ArrayList<>();
        for (Node n : nodes) {
            if (taken.contains(n) || !fusible(g, n)) continue;
            List<Node> target = null;
            for (Value in : n.inputs()) {
                List<Node> cand = in.producer() == null ? null : groupOf.get(in.producer());
                if (cand != null && Arrays.equals(cand.get(0).output().shape(), n.output().shape())
                        && canJoin(cand, index.get(n), consumers, index)) {
                    target = cand;
                    break;
                }
            }
            if (target == null) {
                target = new ArrayList<>();
                groups.add(target);
            }
            target.add(n);
            groupOf.put(n, target);
        }
        Set<Value> graphOutputs = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        graphOutputs.addAll(g.results());
        List<FusionGroup> out = new ArrayList<>();
        for (List<Node> members : groups) {
            Node tail = softmaxAfter(g, members, consumers, nodes, graphOutputs);
            if (tail != null) {
                List<Node> withTail = new ArrayList<>(members);
                withTail.add(tail);
                FusionGroup fg = describe(g, members, consumers, nodes, graphOutputs);
                out.add(new FusionGroup(List.copyOf(withTail), fg.inputs(), fg.scalars(), List.of(tail.output()), fg.shape(), tail));
                continue;
            }
            if (members.size() < 2 && members.getFirst().inputs().stream().noneMatch(epilogueSources::contains)) continue;
            out.add(describe(g, members, consumers, nodes, graphOutputs));
        }
        return out;
    }

    /**
     * The softmax over the last dimension that alone reads the group's one result, when the group
     * can end in it (float32, the group's shape, nothing else reading the group's values); else null.
     */
    private static Node softmaxAfter(Graph g, List<Node> members, Map<Value, List<Integer>> consumers, List<Node> nodes, Set<Value> graphOutputs) {
        Set<Node> memberSet = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        memberSet.addAll(members);
        Node tail = null;
        for (Node m : members) {
            Value v = m.output();
            for (int c : consumers.getOrDefault(v, List.of())) {
                Node consumer = nodes.get(c);
                if (memberSet.contains(consumer)) continue;
                if (tail != null || graphOutputs.contains(v) || !(consumer.op() instanceof org.sinter.ops.SoftmaxOps.Softmax s)) return null;
                int rank = v.shape().length;
                if (rank == 0 || (s.dim() != rank - 1 && s.dim() != -1) || consumer.output().dtype() != DType.FLOAT32
                        || !Arrays.equals(v.shape(), members.get(0).output().shape())) {
                    return null;
                }
                tail = consumer;
            }
            if (tail == null && graphOutputs.contains(v)) return null;
        }
        if (tail == null) return null;
        // Every member's value must be read only inside the group or by the tail: the tail is the group's only output.
        for (Node m : members) {
            if (graphOutputs.contains(m.output())) return null;
            for (int c : consumers.getOrDefault(m.output(), List.of())) {
                Node consumer = nodes.get(c);
                if (!memberSet.contains(consumer) && consumer != tail) return null;
            }
        }
        return tail;
    }

    /** Whether a group can still execute at position {@code at}: no outside node reads a member's result earlier. */
    static boolean canJoin(List<Node> group, int at, Map<Value, List<Integer>> consumers, Map<Node, Integer> index) {
        Set<Integer> members = new java.util.HashSet<>();
        for (Node m : group) members.add(index.get(m));
        for (Node m : group) {
            for (int c : consumers.getOrDefault(m.output(), List.of())) {
                if (!members.contains(c) && c != at && c < at) return false;
            }
        }
        return true;
    }

    /** What a group reads from outside (tensors, and scalar constants apart) and which of its values it must write. */
    record Boundary(List<Value> inputs, List<Value> scalars, List<Value> outputs) {}

    static Boundary boundary(Graph g, List<Node> members, Map<Value, List<Integer>> consumers, List<Node> nodes, Set<Value> graphOutputs) {
        Set<Node> memberSet = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        memberSet.addAll(members);
        Set<Value> inputs = new LinkedHashSet<>(), scalars = new LinkedHashSet<>();
        List<Value> outputs = new ArrayList<>();
        for (Node m : members) {
            for (Value in : m.inputs()) {
                if (in.producer() != null && memberSet.contains(in.producer())) continue;
                if (isScalarConstant(g, in)) scalars.add(in);
                else inputs.add(in);
            }
            Value v = m.output();
            boolean external = graphOutputs.contains(v);
            for (int c : consumers.getOrDefault(v, List.of())) external |= !memberSet.contains(nodes.get(c));
            if (external) outputs.add(v);
        }
        return new Boundary(List.copyOf(inputs), List.copyOf(scalars), List.copyOf(outputs));
    }

    private static FusionGroup describe(Graph g, List<Node> members, Map<Value, List<Integer>> consumers, List<Node> nodes, Set<Value> graphOutputs) {
        Boundary b = boundary(g, members, consumers, nodes, graphOutputs);
        return new FusionGroup(List.copyOf(members), b.inputs(), b.scalars(), b.outputs(), members.get(0).output().shape());
    }

    static boolean isScalarConstant(Graph g, Value v) {
        Graph.Parameter p = g.parameter(v);
        return p != null && p.constant() && v.shape().length == 0;
    }

    /** An elementwise op with a vector body, float32 in and out (scalar constants of any type fold in). */
    static boolean fusible(Graph g, Node n) {
        if (n.outputs().size() != 1 || n.output().dtype() != DType.FLOAT32) return false;
        for (Value in : n.inputs()) if (in.dtype() != DType.FLOAT32 && !isScalarConstant(g, in)) return false;
        return switch (n.op()) {
            case UnaryOps.Unary u -> VectorFns.SUPPORTED.contains(u.fn()) && !Double.isNaN(u.p0()) && !Double.isNaN(u.p1());
            case BinaryOps.Binary b -> BINARY.contains(b.fn());
            default -> false;
        };
    }

}
