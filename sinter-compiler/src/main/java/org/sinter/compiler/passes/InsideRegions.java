package org.sinter.compiler.passes;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.compiler.ir.ControlFlowOps.ControlFlowOp;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;

/**
 * A pass applied to a graph and then, the same way, to the regions of its control-flow nodes (and
 * theirs, recursively): a region is a graph of its own, so folding, simplification, CSE and DCE
 * apply inside a branch or a loop body as they do outside. Nothing crosses a region's boundary:
 * outer passes see a control-flow node as one op, and its region keeps its inputs and outputs.
 */
final class InsideRegions implements Pass {
    private final Pass pass;

    InsideRegions(Pass pass) {
        this.pass = pass;
    }

    @Override public String name() { return pass.name(); }

    @Override
    public Result run(Graph g) {
        Result outer = pass.run(g);
        Graph h = outer.graph();
        Map<Node, ControlFlowOp> rebuilt = new IdentityHashMap<>();
        List<String> inner = new ArrayList<>();
        for (Node n : h.nodes()) {
            if (!(n.op() instanceof ControlFlowOp cf)) continue;
            List<Graph> regions = new ArrayList<>();
            boolean changed = false;
            for (Graph r : cf.regions()) {
                Result rr = run(r);
                regions.add(rr.graph());
                changed |= rr.graph() != r;
                if (!rr.changes().isEmpty()) inner.add(rr.changes());
            }
            if (changed) rebuilt.put(n, cf.withRegions(regions));
        }
        if (rebuilt.isEmpty()) return outer;
        Graph out = Rewriter.apply(h, (n, args, into) -> rebuilt.containsKey(n) ? into.add(rebuilt.get(n), args).outputs() : null).graph();
        String changes = (outer.changes().isEmpty() ? "" : outer.changes() + "; ") + "in regions: " + String.join("; ", inner);
        return new Result(out, changes);
    }
}
