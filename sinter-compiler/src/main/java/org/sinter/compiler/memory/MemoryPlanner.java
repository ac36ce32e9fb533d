package org.sinter.compiler.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.Op;
import org.sinter.ops.ViewOp;

/**
 * Plans where every intermediate of a graph lives before it runs: liveness (a buffer is live from
 * the step that writes it to the last step that reads it, through any views of it), then offsets
 * in one arena per dtype, placed greedily by size (the largest first, each at the lowest offset
 * free for its whole lifetime: the "greedy by size" planner of TFLite and ONNX Runtime). An
 * elementwise op may write over an input that dies at that op (in-place reuse). The plan's peak
 * is known before anything runs; {@link MemoryPlan} compares it with keeping every intermediate
 * (naive) and with the live bytes at the busiest step (the bound no placement can beat).
 */
public final class MemoryPlanner {
    /** Offsets are aligned for vector loads. */
    static final int ALIGN = 64;

    private MemoryPlanner() {}

    /**
     * @param g       the graph, nodes in execution order
     * @param inPlace whether node {@code n} may write its output over its first input when that dies at {@code n}
     */
    public static MemoryPlan plan(Graph g, java.util.function.Predicate<Node> inPlace) {
        List<Node> nodes = g.nodes();
        Map<Value, Value> storageOf = new IdentityHashMap<>(); // a view's value → the value owning its memory
        Map<Value, MemoryPlan.Buffer> buffers = new IdentityHashMap<>();
        List<MemoryPlan.Buffer> all = new ArrayList<>();
        java.util.Set<Value> outputs = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        outputs.addAll(g.outputs());
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.op() instanceof ViewOp) {
                storageOf.put(n.output(), owner(storageOf, n.inputs().get(0)));
                continue;
            }
            for (Value v : n.outputs()) {
                MemoryPlan.Buffer b = new MemoryPlan.Buffer(v, bytes(v), i);
                buffers.put(v, b);
                all.add(b);
            }
        }
        // Last uses, through views; graph outputs live to the end (they leave the arena: see escapes).
        for (int i = 0; i < nodes.size(); i++) {
            for (Value in : nodes.get(i).inputs()) {
                MemoryPlan.Buffer b = buffers.get(owner(storageOf, in));
                if (b != null) b.lastUse = Math.max(b.lastUse, i);
            }
        }
        for (Value out : g.results()) {
            MemoryPlan.Buffer b = buffers.get(owner(storageOf, out));
            if (b != null) b.escapes = true;
        }
        List<MemoryPlan.Buffer> planned = all.stream().filter(b -> !b.escapes).toList();
        // In-place: the output of an eligible node takes its first input's place when that input dies here.
        Map<MemoryPlan.Buffer, MemoryPlan.Buffer> sharesWith = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.outputs().size() != 1 || n.inputs().isEmpty() || !inPlace.test(n)) continue;
            MemoryPlan.Buffer out = buffers.get(n.output()), in = buffers.get(owner(storageOf, n.inputs().get(0)));
            if (out == null || in == null || out.escapes || in.escapes || in.lastUse != i || in.bytes != out.bytes
                    || in.value.dtype() != out.value.dtype() || sharesWith.containsValue(in)) continue;
            sharesWith.put(out, in);
            out.reuses = in;
        }
        place(planned, sharesWith);
        return new MemoryPlan(planned, all, nodes.size());
    }

    /** Greedy by size, per dtype; a buffer that reuses an input in place gets that input's offset. */
    private static void place(List<MemoryPlan.Buffer> buffers, Map<MemoryPlan.Buffer, MemoryPlan.Buffer> sharesWith) {
        Map<DType, List<LowestFit.Block>> placed = new java.util.EnumMap<>(DType.class);
        List<MemoryPlan.Buffer> order = new ArrayList<>(buffers.stream().filter(b -> !sharesWith.containsKey(b)).toList());
        order.sort(Comparator.comparingLong((MemoryPlan.Buffer b) -> b.bytes).reversed().thenComparingInt(b -> b.def));
        // A chain of in-place writers occupies its root's place until the chain's last read.
        Map<MemoryPlan.Buffer, Integer> end = new IdentityHashMap<>();
        for (MemoryPlan.Buffer b : order) end.put(b, b.lastUse);
        for (var e : sharesWith.entrySet()) end.merge(root(e.getValue(), sharesWith), e.getKey().lastUse, Math::max);
        for (MemoryPlan.Buffer b : order) {
            List<LowestFit.Block> same = placed.computeIfAbsent(b.value.dtype(), k -> new ArrayList<>());
            b.offset = LowestFit.offset(b.bytes, b.def, end.get(b), same, ALIGN);
            same.add(new LowestFit.Block(b.def, end.get(b), b.offset, b.bytes));
        }
        for (MemoryPlan.Buffer b : buffers) if (sharesWith.containsKey(b)) b.offset = root(b, sharesWith).offset;
    }

    private static MemoryPlan.Buffer root(MemoryPlan.Buffer b, Map<MemoryPlan.Buffer, MemoryPlan.Buffer> sharesWith) {
        while (sharesWith.containsKey(b)) b = sharesWith.get(b);
        return b;
    }

    private static Value owner(Map<Value, Value> storageOf, Value v) {
        Value o = storageOf.get(v);
        return o == null ? v : o;
    }

    static long bytes(Value v) {
        long n = 1;
        for (int s : v.shape()) n *= s;
        return n * v.dtype().itemSize();
    }

    static long align(long x) {
        return (x + ALIGN - 1) / ALIGN * ALIGN;
    }

    /** Ops whose kernels read element i before writing element i only: safe to write over their first input. */
    public static boolean elementwise(Node n) {
        Op op = n.op();
        return (op instanceof org.sinter.ops.UnaryOps.Unary || op instanceof org.sinter.ops.BinaryOps.Binary
                || op instanceof org.sinter.ops.UnaryOps.ReluBackward)
                && java.util.Arrays.equals(n.inputs().get(0).shape(), n.output().shape()) && n.inputs().get(0).dtype() == n.output().dtype();
    }
}
