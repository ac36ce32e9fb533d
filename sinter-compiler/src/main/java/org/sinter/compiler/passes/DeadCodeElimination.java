package org.sinter.compiler.passes;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;

/** Removes nodes none of whose outputs reach a graph output, and the bound tensors only they read. Graph ops have no side effects. */
public final class DeadCodeElimination implements Pass {
    @Override public String name() { return "dead-code elimination"; }

    @Override
    public Result run(Graph g) {
        Set<Value> live = Collections.newSetFromMap(new IdentityHashMap<>());
        live.addAll(g.results());
        live.addAll(g.updates().keySet());
        Set<Node> liveNodes = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> nodes = g.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.outputs().stream().anyMatch(live::contains)) {
                liveNodes.add(n);
                live.addAll(n.inputs());
            }
        }
        int dead = nodes.size() - liveNodes.size();
        long deadBound = g.parameters().keySet().stream().filter(v -> !live.contains(v)).count();
        if (dead == 0 && deadBound == 0) return Result.unchanged(g);
        Graph out = Rewriter.apply(g, (n, args, into) -> liveNodes.contains(n) ? null : Rewriter.DROP).graph();
        return new Result(out, "removed " + dead + " node" + (dead == 1 ? "" : "s") + (deadBound > 0 ? ", " + deadBound + " unused bound tensors" : ""));
    }
}
