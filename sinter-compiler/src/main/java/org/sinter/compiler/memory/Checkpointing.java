package org.sinter.compiler.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;

/**
 * Activation checkpointing (rematerialisation) for a traced training step: instead of keeping every
 * forward value the backward reads, keep the results of every k-th forward op (the checkpoints) and
 * recompute the others from the nearest checkpoints just before the backward first reads them
 * (Chen et al., "Training deep nets with sublinear memory cost"). Graph ops are pure and random
 * draws are graph inputs, so recomputed values are the originals bit for bit and the step's loss and
 * gradients do not change: only time is spent. {@link #fit} picks the densest checkpointing (the
 * least recomputation) whose memory plan fits a budget.
 */
public final class Checkpointing {
    private Checkpointing() {}

    /** The rewritten graph, its plan, the checkpoint spacing (1: unchanged) and how many ops it recomputes. */
    public record Result(Graph graph, MemoryPlan plan, int every, int recomputed) {}

    /** The graph with the least recomputation whose planned arena fits {@code budgetBytes}; throws, naming the best found, if none does. */
    public static Result fit(Graph g, long budgetBytes) {
        MemoryPlan base = MemoryPlanner.plan(g, MemoryPlanner::elementwise);
        if (base.plannedBytes() <= budgetBytes) return new Result(g, base, 1, 0);
        int forward = backwardStart(g);
        Result best = null;
        for (int every = 2; every <= Math.max(2, forward); every = every < 8 ? every + 1 : every * 2) {
            Result r = rematerialize(g, every);
            if (best == null || r.plan().plannedBytes() < best.plan().plannedBytes()) best = r;
            if (r.plan().plannedBytes() <= budgetBytes) return r;
        }
        throw new IllegalArgumentException("checkpointing: no checkpoint spacing fits the budget of " + MemoryPlan.mib(budgetBytes)
                + "; the smallest plan found needs " + MemoryPlan.mib(best.plan().plannedBytes()) + " (a checkpoint every " + best.every() + " ops)");
    }

    /** Keeps the results of every {@code every}-th forward op and recomputes the other forward values the backward reads. */
    public static Result rematerialize(Graph g, int every) {
        List<Node> nodes = g.nodes();
        int start = backwardStart(g);
        Map<Node, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) index.put(nodes.get(i), i);
        Set<Value> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < start; i++) if (i % every == every - 1) kept.addAll(nodes.get(i).outputs());

        Graph out = new Graph();
        Map<Value, Value> map = new IdentityHashMap<>(), recomputed = new IdentityHashMap<>();
        for (Value v : g.inputs()) map.put(v, out.addInput(v.spec()));
        g.randomInputs().forEach((v, fill) -> map.put(v, out.addRandomInput(v.spec(), fill)));
        g.parameters().forEach((v, p) -> map.put(v, p.constant() ? out.addConstant(p.name(), v.spec(), p.tensor())
                : out.addParameter(p.name(), v.spec(), p.tensor())));
        var ctx = new Object() {
            int count;

            boolean dropped(Value v) {
                Node p = v.producer();
                return p != null && index.get(p) < start && !kept.contains(v);
            }

            Value recompute(Value v) {
                Value r = recomputed.get(v);
                if (r != null) return r;
                Node p = v.producer();
                List<Value> args = new ArrayList<>();
                for (Value w : p.inputs()) args.add(dropped(w) ? recompute(w) : map.get(w));
                Node copy = out.add(p.op(), args);
                count++;
                for (int i = 0; i < p.outputs().size(); i++) recomputed.put(p.outputs().get(i), copy.outputs().get(i));
                return recomputed.get(v);
            }
        };
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            List<Value> args = new ArrayList<>();
            for (Value in : n.inputs()) args.add(i >= start && ctx.dropped(in) ? ctx.recompute(in) : map.get(in));
            Node copy = out.add(n.op(), args);
            for (int k = 0; k < n.outputs().size(); k++) map.put(n.outputs().get(k), copy.outputs().get(k));
        }
        List<Value> outs = new ArrayList<>();
        for (Value v : g.outputs()) outs.add(map.get(v));
        out.setOutputs(outs);
        g.updates().forEach((p, v) -> out.setUpdate(map.get(p), map.get(v)));
        return new Result(out, MemoryPlanner.plan(out, MemoryPlanner::elementwise), every, ctx.count);
    }

    /** The index of the first backward op: the first node reading the seed gradient (the graph's last input). */
    static int backwardStart(Graph g) {
        if (g.inputs().isEmpty()) throw new IllegalArgumentException("checkpointing: not a training-step graph (no seed gradient input)");
        Value seed = g.inputs().get(g.inputs().size() - 1);
        for (int i = 0; i < g.nodes().size(); i++) if (g.nodes().get(i).inputs().contains(seed)) return i;
        throw new IllegalArgumentException("checkpointing: not a training-step graph (nothing reads the seed gradient)");
    }
}
