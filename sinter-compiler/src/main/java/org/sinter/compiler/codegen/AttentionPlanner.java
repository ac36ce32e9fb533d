package org.sinter.compiler.codegen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.kernels.BinaryFn;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.LinalgOps;
import org.sinter.ops.ShapeOps;
import org.sinter.ops.SoftmaxOps;
import org.sinter.ops.ViewOps;

/**
 * Finds scaled dot-product attention in an inference graph, the chain that
 * {@code MultiheadAttention} traces and that PyTorch's ONNX export of it imports as:
 * {@code bmm(q / c, kᵀ) [+ mask] → softmax(last dim) → bmm(·, v)}, optionally followed by the
 * heads' transpose back ({@code [H, L, D] → [L, H, D]}) and its copy. {@link AttentionStep} runs a
 * match as one {@link org.sinter.kernels.FusedAttention} call. Only chains whose intermediates
 * (the scaled queries, scores, masked scores, probabilities) have no other reader qualify, so a
 * training graph, whose backward reads the probabilities, keeps the unfused ops and their gradients.
 */
final class AttentionPlanner {
    private AttentionPlanner() {}

    /** {@code -Dsinter.compiler.fusedAttention=false} keeps the unfused chain, for comparison. */
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("sinter.compiler.fusedAttention", "true"));

    /** A float mask entry at or below this counts as −∞ for causal skipping (exp of it underflows to exactly 0). */
    private static final float MASKED = -1e30f;

    /**
     * One attention chain. {@code divisor}: the queries' scale as a divisor (1 when none, 1/c for
     * a multiplication by c); {@code mask}: the additive mask value, null when none or causal;
     * {@code output}: the value the step writes ({@code [H, L, D]}, or {@code [L, H, D]} when
     * {@code headsOutside} and the transposed copy was folded in).
     */
    record Match(List<Node> nodes, Value query, float divisor, Value keysTransposed, Value values, Value mask, boolean causal,
                 Value output, boolean headsOutside) {}

    static List<Match> plan(Graph g) {
        if (!ENABLED) return List.of();
        Map<Value, List<Node>> readers = new IdentityHashMap<>();
        for (Node n : g.nodes()) for (Value v : n.inputs()) readers.computeIfAbsent(v, k -> new ArrayList<>()).add(n);
        Set<Value> results = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        results.addAll(g.results());
        List<Match> out = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n.op() instanceof SoftmaxOps.Softmax sm && !sm.log()) {
                Match m = match(g, n, readers, results);
                if (m != null) out.add(m);
            }
        }
        return out;
    }

    private static Match match(Graph g, Node softmax, Map<Value, List<Node>> readers, Set<Value> results) {
        Value p = softmax.output();
        int[] ps = p.shape();
        if (ps.length != 3 || p.dtype() != DType.FLOAT32 || ((SoftmaxOps.Softmax) softmax.op()).dim() != 2) return null;
        List<Node> nodes = new ArrayList<>();
        // Backwards from the softmax: an optional mask add, then the scores' product.
        Node pre = softmax.inputs().getFirst().producer();
        Value mask = null;
        Node scores = pre;
        if (pre != null && pre.op() instanceof BinaryOps.Binary b && b.fn() == BinaryFn.ADD) {
            int bi = producedBy(pre.inputs().get(0), LinalgOps.Bmm.class) ? 0 : producedBy(pre.inputs().get(1), LinalgOps.Bmm.class) ? 1 : -1;
            if (bi < 0 || !soleReader(pre.output(), softmax, readers, results)) return null;
            mask = pre.inputs().get(1 - bi);
            scores = pre.inputs().get(bi).producer();
            if (!soleReader(scores.output(), pre, readers, results)) return null;
            nodes.add(scores);
            nodes.add(pre);
        } else if (pre != null && pre.op() instanceof LinalgOps.Bmm && soleReader(pre.output(), softmax, readers, results)) {
            nodes.add(pre);
        } else {
            return null;
        }
        if (!Arrays.equals(scores.output().shape(), ps)) return null;
        if (mask != null && (mask.dtype() != DType.FLOAT32 || !broadcastsTo(mask.shape(), ps))) return null;
        // The queries: q / c or q * c with a constant scalar c, else the product's left operand as it is.
        Value q = scores.inputs().get(0);
        float divisor = 1f;
        Node scale = q.producer();
        if (scale != null && scale.op() instanceof BinaryOps.Binary b && (b.fn() == BinaryFn.DIV || b.fn() == BinaryFn.MUL)
                && soleReader(q, scores, readers, results) && Arrays.equals(scale.output().shape(), scale.inputs().get(0).shape())) {
            Graph.Parameter c = g.parameter(scale.inputs().get(1));
            double cv = c == null ? Double.NaN : c.scalar();
            if (!Double.isNaN(cv) && cv != 0) {
                divisor = b.fn() == BinaryFn.DIV ? (float) cv : (float) (1 / cv);
                q = scale.inputs().get(0);
                nodes.addFirst(scale);
            }
        }
        Value kt = scores.inputs().get(1);
        // The probabilities' product with V.
        List<Node> pr = readers.getOrDefault(p, List.of());
        if (results.contains(p) || pr.size() != 1 || !(pr.getFirst().op() instanceof LinalgOps.Bmm) || pr.getFirst().inputs().get(0) != p) return null;
        Node pv = pr.getFirst();
        Value v = pv.inputs().get(1);
        int[] qs = q.shape(), ks = kt.shape(), vs = v.shape();
        if (q.dtype() != DType.FLOAT32 || kt.dtype() != DType.FLOAT32 || v.dtype() != DType.FLOAT32 || qs.length != 3 || ks.length != 3 || vs.length != 3
                || qs[0] != ps[0] || qs[1] != ps[1] || ks[2] != ps[2] || qs[2] != ks[1] || vs[1] != ps[2] || vs[2] != qs[2]) {
            return null;
        }
        nodes.add(softmax);
        nodes.add(pv);
        boolean causal = mask != null && isCausal(g, mask, ps);
        Value output = pv.output();
        boolean headsOutside = false;
        // The heads' transpose back to [L, H, D] and its copy: the step writes that layout directly.
        List<Node> tr = readers.getOrDefault(output, List.of());
        if (!results.contains(output) && tr.size() == 1 && swapsFirstTwo(tr.getFirst())) {
            Node t = tr.getFirst();
            List<Node> cr = readers.getOrDefault(t.output(), List.of());
            if (!results.contains(t.output()) && cr.size() == 1 && cr.getFirst().op() instanceof ShapeOps.Clone) {
                nodes.add(t);
                nodes.add(cr.getFirst());
                output = cr.getFirst().output();
                headsOutside = true;
            }
        }
        return new Match(List.copyOf(nodes), q, divisor, kt, v, causal ? null : mask, causal, output, headsOutside);
    }

    private static boolean producedBy(Value v, Class<?> op) {
        return v.producer() != null && op.isInstance(v.producer().op());
    }

    private static boolean soleReader(Value v, Node reader, Map<Value, List<Node>> readers, Set<Value> results) {
        List<Node> r = readers.getOrDefault(v, List.of());
        return !results.contains(v) && r.size() == 1 && r.getFirst() == reader;
    }

    private static boolean swapsFirstTwo(Node n) {
        if (n.output().shape().length != 3) return false;
        if (n.op() instanceof ViewOps.Transpose t) return Math.min(t.dim0(), t.dim1()) == 0 && Math.max(t.dim0(), t.dim1()) == 1;
        return n.op() instanceof ViewOps.Permute p && p.dims().get(0) == 1 && p.dims().get(1) == 0 && p.dims().get(2) == 2;
    }

    /** Whether a mask of {@code shape} broadcasts to the scores' [H, L, S]. */
    private static boolean broadcastsTo(int[] shape, int[] target) {
        if (shape.length > target.length) return false;
        for (int i = 1; i <= shape.length; i++) {
            int s = shape[shape.length - i], t = target[target.length - i];
            if (s != t && s != 1) return false;
        }
        return true;
    }

    /**
     * Whether the mask is a constant, the same for every head, that is 0 on and below the diagonal
     * and −∞ (or at most {@link #MASKED}) above it: then the step skips the masked keys instead of reading the mask.
     */
    private static boolean isCausal(Graph g, Value mask, int[] scores) {
        Graph.Parameter prm = g.parameter(mask);
        if (prm == null || !prm.constant() || prm.tensor() == null || scores[1] != scores[2]) return false;
        int[] ms = mask.shape();
        if (ms.length < 2 || ms[ms.length - 1] != scores[2] || ms[ms.length - 2] != scores[1]) return false;
        for (int d = 0; d < ms.length - 2; d++) if (ms[d] != 1) return false;
        Tensor m = prm.tensor().reshape(scores[1], scores[2]);
        int n = scores[1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                float x = (float) m.get(i, j);
                if (j <= i ? x != 0f : !(x <= MASKED)) return false;
            }
        }
        return true;
    }
}
