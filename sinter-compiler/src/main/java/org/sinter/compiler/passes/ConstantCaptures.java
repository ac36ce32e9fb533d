package org.sinter.compiler.passes;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.compiler.ir.ControlFlowOps.Cond;
import org.sinter.compiler.ir.ControlFlowOps.ControlFlowOp;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;

/**
 * Carries constants across region boundaries: where a control-flow node's operand is a bound
 * constant (a Java scalar, or a weight once parameters are frozen), its regions read that constant
 * instead of the input it arrives by, so the passes inside the region fold what it feeds and the
 * region's program packs it (an RNN body's weights, frozen, are transposed and packed once, not
 * every step). The region keeps the input, unread, so the node's signature does not change; a
 * loop state is not a constant, since the body replaces it, so only what stays the same in every
 * iteration is carried: a cond's operands, a loop's captures, a scan's captures.
 */
public final class ConstantCaptures implements Pass {
    @Override public String name() { return "constant captures"; }

    @Override
    public Result run(Graph g) {
        Map<Node, ControlFlowOp> rebuilt = new IdentityHashMap<>();
        int carried = 0;
        for (Node n : g.nodes()) {
            if (!(n.op() instanceof ControlFlowOp cf)) continue;
            // Which region input each node operand arrives at (the same index in every region of the node).
            int first = cf instanceof Cond ? 1 : 0, invariantFrom = first + firstInvariantInput(cf);
            Map<Integer, Value> constants = new java.util.TreeMap<>();
            for (int i = invariantFrom; i < n.inputs().size(); i++) {
                Graph.Parameter p = g.parameter(n.inputs().get(i));
                // A Java number promotes unlike the 0-d tensor the region was traced with: it stays an input.
                if (p != null && p.constant() && p.tensor() != null && !p.tensor().isWrappedNumber() && read(cf, i - first)) {
                    constants.put(i - first, n.inputs().get(i));
                }
            }
            if (constants.isEmpty()) continue;
            List<Graph> regions = new ArrayList<>();
            for (Graph r : cf.regions()) regions.add(withConstants(r, constants, g));
            rebuilt.put(n, cf.withRegions(regions));
            carried += constants.size();
        }
        if (rebuilt.isEmpty()) return Result.unchanged(g);
        Graph out = Rewriter.apply(g, (n, args, into) -> rebuilt.containsKey(n) ? into.add(rebuilt.get(n), args).outputs() : null).graph();
        return new Result(out, "carried " + carried + " constant" + (carried == 1 ? "" : "s") + " into regions");
    }

    /** Whether a node of some region reads region input {@code i} (once carried, none does). */
    private static boolean read(ControlFlowOp op, int i) {
        return op.regions().stream().anyMatch(r -> r.nodes().stream().anyMatch(n -> n.inputs().contains(r.inputs().get(i))));
    }

    /** The first region input that is the same in every iteration: after a loop's state or a scan's carry and slices. */
    private static int firstInvariantInput(ControlFlowOp op) {
        return switch (op) {
            case Cond c -> 0;
            case org.sinter.compiler.ir.ControlFlowOps.WhileLoop w -> w.stateSize();
            case org.sinter.compiler.ir.ControlFlowOps.Scan s -> s.carries() + s.xs();
        };
    }

    /** {@code region} reading, for each input index, the outer constant instead of the input (still taken). */
    private static Graph withConstants(Graph region, Map<Integer, Value> constants, Graph outer) {
        Map<Value, Value> byInput = new IdentityHashMap<>();
        constants.forEach((i, v) -> byInput.put(region.inputs().get(i), v));
        Map<Value, Value> bound = new IdentityHashMap<>();
        return Rewriter.apply(region, (n, args, into) -> {
            if (n.inputs().stream().noneMatch(byInput::containsKey)) return null;
            List<Value> replaced = new ArrayList<>(args);
            for (int k = 0; k < replaced.size(); k++) {
                Value c = byInput.get(n.inputs().get(k));
                if (c == null) continue;
                Graph.Parameter p = outer.parameter(c);
                replaced.set(k, bound.computeIfAbsent(c, x -> into.addConstant(p.name(), c.spec(), p.tensor())));
            }
            return into.add(n.op(), replaced).outputs();
        }).graph();
    }
}
