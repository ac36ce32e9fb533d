package org.sinter.compiler.passes.rewrite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
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
import org.sinter.ops.LinalgOps;
import org.sinter.ops.NnOps;
import org.sinter.ops.UnaryOps;
import org.sinter.ops.ViewOps;

/**
 * The values of a graph that the code generator keeps in registers, for the cost model: a value
 * computed by a float32 elementwise op (a unary function with a vector body, add, sub, mul, div,
 * max, min), or by a product the code generator gives an epilogue (a single float32 matrix
 * product, or a convolution with a constant filter), and read by one float32 elementwise op of its
 * shape only, through reshapes for a product. Such a value is never written to memory and its
 * reader starts no kernel: an elementwise chain is one kernel, and a product's bias and activation
 * run in its GEMM (as {@code FusionPlanner} and {@code GemmEpiloguePlanner} do; an approximation
 * of their rules, not a copy of them). So a rewrite inside a fused chain gains nothing, and one that
 * breaks an epilogue costs a kernel.
 */
final class FusedValues {
    private static final Set<BinaryFn> BINARY = Set.of(BinaryFn.ADD, BinaryFn.SUB, BinaryFn.MUL, BinaryFn.DIV, BinaryFn.MAXIMUM, BinaryFn.MINIMUM);

    /** Each fused value and the node whose kernel computes it (the product, for the views after one). */
    private final Map<Value, Node> fused = new IdentityHashMap<>();

    /** @param folded values constant folding computes at compile time (they are constants, not kernels) */
    FusedValues(Graph g, Set<Value> folded) {
        Map<Value, List<Node>> readers = new IdentityHashMap<>();
        for (Node n : g.nodes()) for (Value in : n.inputs()) readers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        Set<Value> results = Collections.newSetFromMap(new IdentityHashMap<>());
        results.addAll(g.results());
        for (Node n : g.nodes()) {
            if (!elementwise(n, folded)) continue;
            for (Value in : n.inputs()) {
                if (folded.contains(in) || results.contains(in) || !onlyReader(readers, in, n) || !Arrays.equals(in.shape(), n.output().shape())) continue;
                Node p = in.producer();
                if (p != null && elementwise(p, folded)) {
                    fused.put(in, p);
                    continue;
                }
                // A product, possibly through reshapes that alone read it: the epilogue.
                List<Value> chain = new ArrayList<>(List.of(in));
                Value v = in;
                while (v.producer() != null && reshape(v.producer()) && !results.contains(v.producer().inputs().get(0))
                        && onlyReader(readers, v.producer().inputs().get(0), v.producer())) {
                    v = v.producer().inputs().get(0);
                    chain.add(v);
                }
                if (v.producer() != null && product(v.producer(), folded)) for (Value c : chain) fused.put(c, v.producer());
            }
        }
    }

    /** Whether {@code v} stays in registers (never written, never read from memory). */
    boolean fused(Value v) {
        return fused.containsKey(v);
    }

    /** The node whose kernel computes fused value {@code v}: its reader runs in that kernel too. */
    Node source(Value v) {
        return fused.get(v);
    }

    static boolean elementwise(Node n, Set<Value> folded) {
        if (n.outputs().size() != 1 || n.output().dtype() != DType.FLOAT32 || folded.contains(n.output())) return false;
        for (Value in : n.inputs()) if (in.dtype() != DType.FLOAT32 && in.shape().length != 0) return false;
        return switch (n.op()) {
            case UnaryOps.Unary u -> VectorFns.SUPPORTED.contains(u.fn());
            case BinaryOps.Binary b -> BINARY.contains(b.fn());
            default -> false;
        };
    }

    private static boolean product(Node n, Set<Value> folded) {
        if (n.outputs().size() != 1 || n.output().dtype() != DType.FLOAT32) return false;
        return switch (n.op()) {
            case LinalgOps.Bmm b -> n.output().shape()[0] == 1;
            case NnOps.Conv2d c -> c.g().groups() == 1 && folded.contains(n.inputs().get(1));
            default -> false;
        };
    }

    private static boolean reshape(Node n) {
        return n.op() instanceof ViewOps.Reshape || n.op() instanceof ViewOps.Squeeze || n.op() instanceof ViewOps.Unsqueeze;
    }

    private static boolean onlyReader(Map<Value, List<Node>> readers, Value v, Node reader) {
        for (Node r : readers.getOrDefault(v, List.of())) if (r != reader) return false;
        return true;
    }
}
