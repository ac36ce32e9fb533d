package org.sinter.compiler.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.GraphCopy;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.OpInts;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.Op;
import org.sinter.ops.TensorSpec;

/**
 * One traced graph that serves every batch size: the function is traced at three batch sizes, the
 * graphs must agree in structure, and each integer attribute that changes with the batch (a
 * reshape's leading size, a slice's end) must be an affine function of it, {@code a·B + c}. A graph
 * for another batch size is then the template with those attributes re-evaluated and its shapes
 * re-inferred: no tracing. Anything else that depends on the batch size (the graph's structure, a
 * Java scalar such as {@code 1.0 / B}) is refused, naming the node, rather than guessed.
 */
public final class BatchTemplate {
    /** Batch sizes the template is traced at (small, distinct, not 0 or 1, which PyTorch also specialises). */
    static final int[] TRACE_SIZES = {3, 5, 7};

    private final Graph graph;
    private final List<int[]> slope = new ArrayList<>(), intercept = new ArrayList<>();
    private final List<int[]> dynamicDims;

    private BatchTemplate(Graph graph, List<int[]> dynamicDims) {
        this.graph = graph;
        this.dynamicDims = dynamicDims;
    }

    /** Traces {@code trace(batch)} at three sizes and derives the template; {@code dynamicDims.get(i)} lists input i's batch dims. */
    public static BatchTemplate derive(java.util.function.IntFunction<Graph> trace, List<int[]> dynamicDims) {
        Graph[] g = new Graph[TRACE_SIZES.length];
        for (int i = 0; i < g.length; i++) g[i] = trace.apply(TRACE_SIZES[i]);
        if (!g[0].randomInputs().isEmpty()) {
            throw new IllegalArgumentException("compile: a dynamic batch with random draws (" + g[0].randomInputs().values().iterator().next().name()
                    + ", e.g. dropout in training) is not supported yet; compile with a static batch");
        }
        for (Node n : g[0].nodes()) {
            if (n.op() instanceof org.sinter.ops.HigherOrderOp) { // regions are traced for one batch size; re-deriving them is not built
                throw new IllegalArgumentException("compile: a dynamic batch with control flow (" + n.op().name() + ") is not supported yet; "
                        + "compile with a static batch");
            }
        }
        BatchTemplate t = new BatchTemplate(g[0], dynamicDims);
        int b0 = TRACE_SIZES[0], b1 = TRACE_SIZES[1], b2 = TRACE_SIZES[2];
        for (int k = 1; k < g.length; k++) sameStructure(g[0], g[k], TRACE_SIZES[k]);
        for (int n = 0; n < g[0].nodes().size(); n++) {
            Op op = g[0].nodes().get(n).op();
            int[] v0 = OpInts.of(op), v1 = OpInts.of(g[1].nodes().get(n).op()), v2 = OpInts.of(g[2].nodes().get(n).op());
            int[] a = new int[v0.length], c = new int[v0.length];
            for (int i = 0; i < v0.length; i++) {
                int num = v1[i] - v0[i];
                if (num % (b1 - b0) != 0 || v2[i] != v0[i] + num / (b1 - b0) * (b2 - b0)) {
                    throw new IllegalArgumentException("compile: attribute " + i + " of " + Op.describe(op) + " (node " + n + ") is "
                            + v0[i] + ", " + v1[i] + ", " + v2[i] + " at batch sizes " + b0 + ", " + b1 + ", " + b2
                            + ": not affine in the batch size; compile with a static batch");
                }
                a[i] = num / (b1 - b0);
                c[i] = v0[i] - a[i] * b0;
            }
            t.slope.add(a);
            t.intercept.add(c);
        }
        return t;
    }

    /** The graph for batch size {@code batch}. */
    public Graph instantiate(int batch) {
        List<TensorSpec> specs = new ArrayList<>();
        for (int i = 0; i < graph.inputs().size(); i++) {
            int[] shape = graph.inputs().get(i).shape();
            for (int d : dynamicDims.get(i)) shape[d] = batch;
            specs.add(new TensorSpec(shape, graph.inputs().get(i).dtype()));
        }
        return GraphCopy.copy(graph, specs, (n, op) -> {
            int[] a = slope.get(n), c = intercept.get(n);
            if (Arrays.stream(a).allMatch(x -> x == 0)) return op;
            int[] v = new int[a.length];
            for (int i = 0; i < v.length; i++) v[i] = a[i] * batch + c[i];
            return OpInts.with(op, v);
        });
    }

    private static void sameStructure(Graph a, Graph b, int batch) {
        String where = "compile: the graph traced at batch size " + batch + " differs from the one at " + TRACE_SIZES[0];
        if (a.nodes().size() != b.nodes().size()) {
            throw new IllegalArgumentException(where + " (" + b.nodes().size() + " vs " + a.nodes().size()
                    + " ops: control flow depends on the batch size); compile with a static batch");
        }
        Map<Value, Integer> va = positions(a), vb = positions(b);
        for (int n = 0; n < a.nodes().size(); n++) {
            Node x = a.nodes().get(n), y = b.nodes().get(n);
            if (x.op().getClass() != y.op().getClass() || !OpInts.with(y.op(), OpInts.of(x.op())).equals(x.op())) {
                throw new IllegalArgumentException(where + " at node " + n + ": " + Op.describe(x.op()) + " vs " + Op.describe(y.op()));
            }
            for (int i = 0; i < x.inputs().size(); i++) {
                if (!va.get(x.inputs().get(i)).equals(vb.get(y.inputs().get(i)))) {
                    throw new IllegalArgumentException(where + " at node " + n + " (" + x.op().name() + "): its inputs are wired differently");
                }
            }
        }
        var pa = new ArrayList<>(a.parameters().values());
        var pb = new ArrayList<>(b.parameters().values());
        if (pa.size() != pb.size()) throw new IllegalArgumentException(where + ": " + pb.size() + " vs " + pa.size() + " bound tensors");
        for (int i = 0; i < pa.size(); i++) {
            Tensor ta = pa.get(i).tensor(), tb = pb.get(i).tensor();
            if (!pa.get(i).name().equals(pb.get(i).name())) {
                throw new IllegalArgumentException(where + ": parameter " + pa.get(i).name() + " vs " + pb.get(i).name() + "; compile with a static batch");
            }
            if (pa.get(i).constant() && !sameValues(ta, tb)) {
                throw new IllegalArgumentException(where + ": the constant " + pa.get(i).name() + " ("
                        + (ta.dim() == 0 ? "a Java scalar, " + ta.item() + " vs " + tb.item() : "a tensor built in Java, " + ta.describe() + " vs " + tb.describe())
                        + ") depends on the batch size; compile with a static batch");
            }
        }
    }

    /** Same shape, dtype and bits (NaN equals NaN). */
    private static boolean sameValues(Tensor a, Tensor b) {
        if (a.dtype() != b.dtype() || !Arrays.equals(a.shape(), b.shape())) return false;
        return Arrays.equals(a.toDoubleArray(), b.toDoubleArray());
    }

    /** Each value's position in definition order (inputs, random inputs, parameters, node outputs), to compare wiring. */
    private static Map<Value, Integer> positions(Graph g) {
        List<Value> all = new ArrayList<>(g.inputs());
        all.addAll(g.randomInputs().keySet());
        all.addAll(g.parameters().keySet());
        for (Node n : g.nodes()) all.addAll(n.outputs());
        Map<Value, Integer> out = new java.util.IdentityHashMap<>();
        for (int i = 0; i < all.size(); i++) out.put(all.get(i), i);
        return out;
    }
}
