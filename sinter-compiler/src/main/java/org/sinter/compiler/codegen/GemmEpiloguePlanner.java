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
import org.sinter.ops.NnOps;
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

    /** A candidate product: the bmm or convolution, the single-use views after it, and the value they end in. */
    record Chain(Node producer, List<Node> views, Value product) {}

    /**
     * A convolution epilogue's loops for one sample: the output's channels outside, its pixels
     * inside ({@code [k, oh*ow]}), and each operand's step from one sample to the next (0 for an
     * operand shared by all samples, such as a per-channel bias).
     */
    record ConvNest(LoopNest nest, int[] sampleStrides) {}

    /**
     * The float32 single-matrix products of {@code g}, each followed through the reshaping views
     * that are its result's only reader, and its convolutions with a constant filter (keyed by the
     * value the chain ends in).
     */
    static Map<Value, Chain> products(Graph g) {
        Map<Value, List<Node>> readers = readers(g);
        Set<Value> results = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        results.addAll(g.results());
        Map<Value, Chain> out = new IdentityHashMap<>();
        for (Node n : g.nodes()) {
            if (n.op() instanceof NnOps.Conv2d c && eligibleConv(g, n, c)) {
                out.put(n.output(), new Chain(n, List.of(), n.output()));
                continue;
            }
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
                if (!readOnlyBy(readers.getOrDefault(in, List.of()), fg)) continue;
                boolean conv = c.producer().op() instanceof NnOps.Conv2d;
                if (conv ? convEpilogueNest(fg) == null : epilogueNest(fg) == null) continue;
                used.add(c);
                out.add(new GemmGroup(c.producer(), c.views(), fg, in, constant(g, c.producer().inputs().get(1))));
                break;
            }
        }
        for (Chain c : products.values()) {
            if (!used.contains(c) && constant(g, c.producer().inputs().get(1))) {
                out.add(new GemmGroup(c.producer(), List.of(), null, c.producer().output(), true));
            }
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

    /**
     * The per-sample loops of a convolution's epilogue over [n, k, oh, ow], or null when an operand
     * broadcasts in a way that does not keep whole channel planes (a row- or column-only broadcast).
     */
    static ConvNest convEpilogueNest(FusionGroup fg) {
        int[] shape = fg.shape();
        if (shape.length != 4) return null;
        int n = shape[0], k = shape[1], plane = shape[2] * shape[3];
        List<Value> operands = new ArrayList<>(fg.inputs());
        operands.addAll(fg.outputs());
        List<int[]> flat = new ArrayList<>();
        int[] sampleStrides = new int[operands.size()];
        for (int i = 0; i < operands.size(); i++) {
            int[] s = operands.get(i).shape();
            if (s.length > 4) return null;
            int[] s4 = new int[4];
            java.util.Arrays.fill(s4, 1);
            System.arraycopy(s, 0, s4, 4 - s.length, s.length);
            boolean wholePlane = s4[2] == shape[2] && s4[3] == shape[3], noPlane = s4[2] == 1 && s4[3] == 1;
            if (!wholePlane && !noPlane) return null;
            int sk = s4[1], sp = wholePlane ? plane : 1;
            flat.add(new int[] {sk, sp});
            sampleStrides[i] = s4[0] == n && n > 1 ? sk * sp : 0;
        }
        LoopNest nest = LoopNest.of(new int[] {k, plane}, flat, true);
        return nest.rank() == 2 ? new ConvNest(nest, sampleStrides) : null;
    }

    /**
     * A convolution lowered to per-sample GEMMs: float32, one group, a constant filter
     * ({@code -Dsinter.compiler.convGemm=false} leaves convolutions to the engine, for comparison).
     */
    private static boolean eligibleConv(Graph g, Node n, NnOps.Conv2d c) {
        if (!Boolean.parseBoolean(System.getProperty("sinter.compiler.convGemm", "true"))) return false;
        if (c.g().groups() != 1 || n.output().dtype() != DType.FLOAT32 || !constant(g, n.inputs().get(1))) return false;
        for (Value in : n.inputs()) if (in.dtype() != DType.FLOAT32) return false;
        return c.g().outPlane() > 0 && c.g().patch() > 0;
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
