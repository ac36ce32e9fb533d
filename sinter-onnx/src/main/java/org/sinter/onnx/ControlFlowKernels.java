package org.sinter.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.ControlFlow;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.onnx.ops.NodeContext;
import org.sinter.onnx.ops.OpRegistry;
import org.sinter.onnx.proto.Onnx.GraphProto;

/**
 * {@code If}, {@code Loop} and {@code Scan} onto the compiler's control flow. A decision or trip
 * count known when the graph is built (a constant, or an input Sinter specialises on, see
 * {@link ValueInputs}) is taken then: the branch is inlined, the loop unrolled, so its body may
 * use the iteration number for shapes (ONNX's own Range expansion slices by it). A predicate
 * computed from run-time data becomes a {@code cond} region, a data-dependent loop a
 * {@code whileLoop} region (state: iteration number, condition, loop-carried values), and a Scan a
 * {@code scan} region; the regions' branches and bodies are the ONNX bodies traced, reading the
 * enclosing graph through captures.
 */
public final class ControlFlowKernels {
    /** The operators whose sub-graphs may read run-time values of the enclosing graph (never folded as constants). */
    static final Set<String> OPS = Set.of("If", "Loop", "Scan");
    /** An unrolled loop longer than this is refused: a graph of tens of thousands of nodes, and tracing it would take longer than the fuzzer's 10 s per case. */
    static final long MAX_UNROLLED = 1024;

    private ControlFlowKernels() {}

    public static void register(OpRegistry r) {
        r.add("If", ControlFlowKernels::ifNode, "then_branch", "else_branch");
        r.add("Loop", ControlFlowKernels::loop, "body");
        r.add("Scan", ControlFlowKernels::scan, "body", "num_scan_inputs", "scan_input_axes", "scan_input_directions", "scan_output_axes",
                "scan_output_directions", "directions");
    }

    private static Subgraphs.Body body(NodeContext n, String attr) {
        GraphProto g = n.attrGraph(attr);
        return Subgraphs.prepare(g, n.scope().keySet(), n);
    }

    private static Tensor[] ifNode(NodeContext n) {
        Tensor pred = n.in(0);
        if (pred.numel() != 1) throw n.error("the condition must hold one element, got " + pred.describe());
        Subgraphs.Body then = body(n, "then_branch"), otherwise = body(n, "else_branch");
        Map<String, Tensor> scope = n.scope();
        if (!pred.isMeta()) return Subgraphs.run(pred.toDoubleArray()[0] != 0 ? then : otherwise, List.of(), scope, n);
        Tensor p = pred.reshape().to(DType.BOOL);
        return ControlFlow.cond(p, in -> Subgraphs.run(then, List.of(), scope, n), in -> Subgraphs.run(otherwise, List.of(), scope, n));
    }

    private static Tensor[] loop(NodeContext n) {
        Subgraphs.Body body = body(n, "body");
        Map<String, Tensor> scope = n.scope();
        List<Tensor> state = new ArrayList<>(n.inputsFrom(2));
        int k = state.size(), scans = body.outputs().size() - 1 - k;
        if (scans < 0) throw n.error("the body gives " + body.outputs().size() + " outputs; it must give the condition and the " + k + " loop-carried values");
        Tensor tripCount = n.has(0) ? n.in(0) : null, cond = n.has(1) ? n.in(1) : null;
        if (tripCount == null && cond == null) throw n.unsupported("a Loop with neither a trip count nor a condition (an endless loop)");
        boolean known = (tripCount == null || !tripCount.isMeta()) && (cond == null || !cond.isMeta());
        if (known) return unrolled(n, body, scope, state, tripCount, cond, scans);
        if (scans > 0) {
            throw n.unsupported("a Loop with scan outputs whose trip count or condition is computed from run-time data (the stacked outputs' length "
                    + "would be data-dependent)");
        }
        // A whileLoop region over (iteration, condition, loop-carried values...).
        Tensor[] init = new Tensor[k + 2];
        init[0] = Tensor.scalar(0, DType.INT64);
        init[1] = cond == null ? Tensor.scalar(1, DType.BOOL) : cond.reshape().to(DType.BOOL);
        for (int i = 0; i < k; i++) init[i + 2] = state.get(i);
        Tensor limit = tripCount == null ? null : tripCount.reshape().to(DType.INT64);
        Tensor[] out = ControlFlow.whileLoop(s -> limit == null ? s[1] : s[1].logicalAnd(s[0].lt(limit)), s -> {
            List<Tensor> args = new ArrayList<>(List.of(s[0], s[1]));
            args.addAll(Arrays.asList(s).subList(2, s.length));
            Tensor[] r = Subgraphs.run(body, args, scope, n);
            Tensor[] next = new Tensor[s.length];
            next[0] = s[0].add(1L);
            next[1] = r[0].reshape().to(DType.BOOL);
            for (int i = 0; i < k; i++) next[i + 2] = r[i + 1];
            return next;
        }, init);
        return Arrays.copyOfRange(out, 2, out.length);
    }

    /** The loop run now, at build time: each iteration's body traced in turn with its iteration number as a constant. */
    private static Tensor[] unrolled(NodeContext n, Subgraphs.Body body, Map<String, Tensor> scope, List<Tensor> state, Tensor tripCount, Tensor cond, int scans) {
        long max = tripCount == null ? Long.MAX_VALUE : tripCount.toLongArray()[0];
        boolean go = cond == null || cond.toDoubleArray()[0] != 0;
        List<List<Tensor>> ys = new ArrayList<>();
        for (int j = 0; j < scans; j++) ys.add(new ArrayList<>());
        for (long i = 0; go && i < max; i++) {
            if (i >= MAX_UNROLLED) throw n.unsupported("a Loop of more than " + MAX_UNROLLED + " iterations known at build time (it is unrolled)");
            List<Tensor> args = new ArrayList<>();
            args.add(Tensor.scalar(i, DType.INT64));
            args.add(Tensor.scalar(go ? 1 : 0, DType.BOOL));
            args.addAll(state);
            Tensor[] r = Subgraphs.run(body, args, scope, n);
            if (r[0].isMeta()) {
                throw n.unsupported("a Loop whose condition becomes data-dependent inside an unrolled loop (iteration " + i + ")");
            }
            go = r[0].toDoubleArray()[0] != 0;
            for (int s = 0; s < state.size(); s++) state.set(s, r[1 + s]);
            for (int j = 0; j < scans; j++) ys.get(j).add(r[1 + state.size() + j]);
        }
        Tensor[] out = new Tensor[state.size() + scans];
        for (int s = 0; s < state.size(); s++) out[s] = state.get(s);
        for (int j = 0; j < scans; j++) {
            if (ys.get(j).isEmpty()) throw n.unsupported("a Loop with scan outputs that runs no iteration (their shapes are unknown)");
            out[state.size() + j] = Tensor.stack(ys.get(j), 0);
        }
        return out;
    }

    private static Tensor[] scan(NodeContext n) {
        Subgraphs.Body body = body(n, "body");
        Map<String, Tensor> scope = n.scope();
        int m = (int) n.attrInt("num_scan_inputs", -1);
        if (n.opset() < 9) {
            // Opset 8: input 0 is sequence_lens, and every state and scan input has a batch dimension in front.
            if (n.has(0)) throw n.unsupported("Scan's sequence_lens (opset 8)");
            List<Tensor> all = n.inputsFrom(1);
            int batch = all.get(0).size(0);
            List<List<Tensor>> per = new ArrayList<>();
            long[] dirs = n.attrInts("directions", new long[m]);
            for (int b = 0; b < batch; b++) {
                List<Tensor> one = new ArrayList<>();
                for (Tensor t : all) one.add(t.select(0, b));
                per.add(Arrays.asList(scanOnce(n, body, scope, one, m, new long[m], dirs, new long[body.outputs().size()], new long[body.outputs().size()])));
            }
            Tensor[] out = new Tensor[per.get(0).size()];
            for (int i = 0; i < out.length; i++) {
                List<Tensor> parts = new ArrayList<>();
                for (List<Tensor> p : per) parts.add(p.get(i));
                out[i] = Tensor.stack(parts, 0);
            }
            return out;
        }
        List<Tensor> all = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) all.add(n.in(i));
        int outs = body.outputs().size();
        return scanOnce(n, body, scope, all, m, n.attrInts("scan_input_axes", new long[m]), n.attrInts("scan_input_directions", new long[m]),
                n.attrInts("scan_output_axes", new long[outs]), n.attrInts("scan_output_directions", new long[outs]));
    }

    /** One scan as a {@code scan} region: scan inputs moved to axis 0 (and flipped when reversed), outputs moved back. */
    private static Tensor[] scanOnce(NodeContext n, Subgraphs.Body body, Map<String, Tensor> scope, List<Tensor> inputs, int m, long[] inAxes,
                                     long[] inDirs, long[] outAxes, long[] outDirs) {
        int k = inputs.size() - m;
        if (m < 1 || k < 0) throw n.error("num_scan_inputs is " + m + " for " + inputs.size() + " inputs");
        Tensor[] init = inputs.subList(0, k).toArray(Tensor[]::new);
        Tensor[] xs = new Tensor[m];
        for (int j = 0; j < m; j++) {
            Tensor x = inputs.get(k + j);
            int axis = n.axis(inAxes[j], x.dim());
            x = x.movedim(axis, 0);
            xs[j] = inDirs.length > j && inDirs[j] == 1 ? x.flip(0) : x;
        }
        ControlFlow.ScanResult r = ControlFlow.scan((carry, x) -> {
            List<Tensor> args = new ArrayList<>(Arrays.asList(carry));
            args.addAll(Arrays.asList(x));
            Tensor[] o = Subgraphs.run(body, args, scope, n);
            return new ControlFlow.ScanStep(Arrays.copyOfRange(o, 0, k), Arrays.copyOfRange(o, k, o.length));
        }, init, xs);
        Tensor[] out = new Tensor[k + r.ys().length];
        System.arraycopy(r.carry(), 0, out, 0, k);
        for (int j = 0; j < r.ys().length; j++) {
            Tensor y = r.ys()[j];
            if (outDirs.length > j && outDirs[j] == 1) y = y.flip(0);
            int axis = outAxes.length > j ? n.axis(outAxes[j], y.dim()) : 0;
            out[k + j] = y.movedim(0, axis);
        }
        return out;
    }
}
