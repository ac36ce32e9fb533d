package org.sinter.onnx.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.OpInts;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.Op;

/**
 * What depends on the batch size in a traced graph, for a dynamic batch axis: the function is
 * traced at three batch sizes, the graphs must agree in structure, and every integer attribute
 * that differs must be affine in the batch size ({@code a·B + c}, as the compiler's BatchTemplate
 * requires); its slope {@code a} is kept per node. Anything else that changes with the batch
 * (structure, a constant's shape) is refused, naming the node: a graph with one batch baked in
 * would be wrong at every other size.
 */
final class BatchSlopes {
    /** Batch sizes traced: small, distinct, not 0 or 1 (which specialise). */
    static final int[] SIZES = {3, 5, 7};

    private BatchSlopes() {}

    /** Slopes per node of {@code g[0]} (only nodes with a non-zero slope); {@code g} traced at {@link #SIZES}. */
    static Map<Node, int[]> derive(Graph[] g) {
        for (int k = 1; k < g.length; k++) sameStructure(g[0], g[k], SIZES[k]);
        Map<Node, int[]> slopes = new IdentityHashMap<>();
        int b0 = SIZES[0], b1 = SIZES[1], b2 = SIZES[2];
        for (int n = 0; n < g[0].nodes().size(); n++) {
            Op op = g[0].nodes().get(n).op();
            if (op instanceof org.sinter.ops.HigherOrderOp && !(op instanceof QdqOps.QuantizeLinear) && !(op instanceof QdqOps.DequantizeLinear)) {
                throw new IllegalArgumentException("onnx export: a dynamic batch with control flow (" + op.name() + ") is not supported; export with a static batch");
            }
            int[] v0 = OpInts.of(op), v1 = OpInts.of(g[1].nodes().get(n).op()), v2 = OpInts.of(g[2].nodes().get(n).op());
            int[] a = new int[v0.length];
            boolean any = false;
            for (int i = 0; i < v0.length; i++) {
                int num = v1[i] - v0[i];
                if (num % (b1 - b0) != 0 || v2[i] != v0[i] + num / (b1 - b0) * (b2 - b0)) {
                    throw new IllegalArgumentException("onnx export: attribute " + i + " of " + Op.describe(op) + " (node " + n + ") is " + v0[i] + ", " + v1[i]
                            + ", " + v2[i] + " at batch sizes " + b0 + ", " + b1 + ", " + b2 + ": not affine in the batch size; export with a static batch");
                }
                a[i] = num / (b1 - b0);
                any |= a[i] != 0;
            }
            if (any) slopes.put(g[0].nodes().get(n), a);
        }
        return slopes;
    }

    private static void sameStructure(Graph a, Graph b, int batch) {
        if (a.nodes().size() != b.nodes().size()) {
            throw new IllegalArgumentException("onnx export: the traced graph has " + a.nodes().size() + " nodes at batch size " + SIZES[0] + " and "
                    + b.nodes().size() + " at " + batch + "; the model's structure depends on the batch size, export with a static batch");
        }
        for (int i = 0; i < a.nodes().size(); i++) {
            Op x = a.nodes().get(i).op(), y = b.nodes().get(i).op();
            if (x.getClass() != y.getClass()) {
                throw new IllegalArgumentException("onnx export: node " + i + " is " + x.name() + " at batch size " + SIZES[0] + " and " + y.name() + " at "
                        + batch + "; export with a static batch");
            }
        }
        List<int[]> pa = new ArrayList<>(), pb = new ArrayList<>();
        a.parameters().keySet().forEach(v -> pa.add(v.shape()));
        b.parameters().keySet().forEach(v -> pb.add(v.shape()));
        for (int i = 0; i < Math.min(pa.size(), pb.size()); i++) {
            if (!Arrays.equals(pa.get(i), pb.get(i))) {
                throw new IllegalArgumentException("onnx export: a constant of the graph has shape " + Arrays.toString(pa.get(i)) + " at batch size " + SIZES[0]
                        + " and " + Arrays.toString(pb.get(i)) + " at " + batch + " (built from the batch size); export with a static batch");
            }
        }
        if (pa.size() != pb.size()) throw new IllegalArgumentException("onnx export: the number of constants depends on the batch size; export with a static batch");
    }

    /** The output dimensions that change with the batch size. */
    static boolean[] dynamicDims(Value at0, Value at1) {
        int[] s0 = at0.shape(), s1 = at1.shape();
        boolean[] d = new boolean[s0.length];
        for (int i = 0; i < d.length; i++) d[i] = s0[i] != s1[i];
        return d;
    }
}
