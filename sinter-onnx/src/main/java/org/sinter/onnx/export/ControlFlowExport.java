package org.sinter.onnx.export;

import static org.sinter.onnx.export.GraphWriter.attr;
import static org.sinter.onnx.export.GraphWriter.list;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.compiler.ir.ControlFlowOps;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.TensorSpec;
import org.sinter.onnx.proto.Onnx.GraphProto;

/**
 * The compiler's control-flow regions as ONNX sub-graphs. A region reads only its own inputs, the
 * node's operands; an ONNX body reads the enclosing graph's values by name, so a region input that
 * is an operand of the node is simply bound to that operand's name: {@code cond} becomes
 * {@code If} with input-free branches, {@code whileLoop} becomes {@code Loop} (no trip count; the
 * condition region is written once before the loop and once at the end of the body), and
 * {@code scan} becomes {@code Scan} (reversed scans read and stack backwards, as Sinter's do).
 */
final class ControlFlowExport {
    private ControlFlowExport() {}

    static String[] lower(OpLowering l, Node n, ControlFlowOps.ControlFlowOp op) {
        return switch (op) {
            case ControlFlowOps.Cond c -> cond(l, n, c);
            case ControlFlowOps.WhileLoop wl -> whileLoop(l, n, wl);
            case ControlFlowOps.Scan s -> scan(l, n, s);
        };
    }

    private static List<String> operands(OpLowering l, Node n, int from) {
        List<String> r = new ArrayList<>();
        for (Value v : n.inputs().subList(from, n.inputs().size())) r.add(l.name(v));
        return r;
    }

    private static String[] cond(OpLowering l, Node n, ControlFlowOps.Cond c) {
        List<String> outer = operands(l, n, 1);
        GraphProto t = region(l, "then", c.ifTrue(), outer);
        GraphProto e = region(l, "else", c.ifFalse(), outer);
        String pred = l.as(n.inputs().get(0), DType.BOOL);
        return l.writer().node("If", list(pred), n.outputs().size(), attr("then_branch", t), attr("else_branch", e));
    }

    private static String[] whileLoop(OpLowering l, Node n, ControlFlowOps.WhileLoop wl) {
        GraphWriter w = l.writer();
        int k = wl.stateSize();
        List<String> all = operands(l, n, 0);
        List<String> captures = all.subList(k, all.size());
        // The first test, in the enclosing graph: the condition region inlined on the initial state.
        String first = inline(l, wl.cond(), all)[0];
        // The body: iteration number, incoming condition (unused: ONNX tests it before each step), state; then the next condition and state.
        GraphWriter b = new GraphWriter("loop_body", w.fresh("loop") + "/");
        String iter = b.fresh("iter"), condIn = b.fresh("cond_in");
        List<String> state = new ArrayList<>();
        for (int i = 0; i < k; i++) state.add(b.fresh("state"));
        b.proto().addInput(GraphWriter.info(iter, new TensorSpec(new int[0], DType.INT64)));
        b.proto().addInput(GraphWriter.info(condIn, new TensorSpec(new int[0], DType.BOOL)));
        for (int i = 0; i < k; i++) b.proto().addInput(GraphWriter.info(state.get(i), wl.body().inputs().get(i).spec()));
        List<String> bodyIn = new ArrayList<>(state);
        bodyIn.addAll(captures);
        String[] next = lowerInto(l, b, wl.body(), bodyIn);
        List<String> condArgs = new ArrayList<>(Arrays.asList(next));
        condArgs.addAll(captures);
        String[] again = lowerInto(l, b, wl.cond(), condArgs);
        output(b, b.cast(again[0], DType.BOOL), new TensorSpec(new int[0], DType.BOOL));
        for (int i = 0; i < k; i++) output(b, next[i], wl.body().outputs().get(i).spec());
        List<String> loopIn = list("", w.cast(first, DType.BOOL));
        loopIn.addAll(all.subList(0, k));
        return w.node("Loop", loopIn, k, attr("body", b.proto().build()));
    }

    private static String[] scan(OpLowering l, Node n, ControlFlowOps.Scan s) {
        GraphWriter w = l.writer();
        List<String> all = operands(l, n, 0);
        int c = s.carries(), x = s.xs();
        GraphWriter b = new GraphWriter("scan_body", w.fresh("scan") + "/");
        List<String> bodyIn = new ArrayList<>();
        for (int i = 0; i < c + x; i++) {
            String name = b.fresh(i < c ? "carry" : "x");
            b.proto().addInput(GraphWriter.info(name, s.body().inputs().get(i).spec()));
            bodyIn.add(name);
        }
        bodyIn.addAll(all.subList(c + x, all.size()));
        String[] outs = lowerInto(l, b, s.body(), bodyIn);
        for (int i = 0; i < outs.length; i++) output(b, outs[i], s.body().outputs().get(i).spec());
        int ys = s.body().outputs().size() - c;
        int[] inDir = new int[x], outDir = new int[ys];
        Arrays.fill(inDir, s.reverse() ? 1 : 0);
        Arrays.fill(outDir, s.reverse() ? 1 : 0);
        return w.node("Scan", new ArrayList<>(all.subList(0, c + x)), c + ys, attr("body", b.proto().build()), attr("num_scan_inputs", x),
                attr("scan_input_directions", inDir), attr("scan_output_directions", outDir));
    }

    /** A branch: the region lowered into its own graph, its inputs bound to the enclosing names {@code args}. */
    private static GraphProto region(OpLowering l, String kind, Graph region, List<String> args) {
        GraphWriter b = new GraphWriter(kind + "_branch", l.writer().fresh(kind) + "/");
        String[] outs = lowerInto(l, b, region, args);
        for (int i = 0; i < outs.length; i++) output(b, outs[i], region.outputs().get(i).spec());
        return b.proto().build();
    }

    /** Lowers {@code region} into {@code into} with its inputs named {@code args}; returns its outputs' names. */
    private static String[] lowerInto(OpLowering parent, GraphWriter into, Graph region, List<String> args) {
        if (args.size() != region.inputs().size()) {
            throw new IllegalStateException("onnx export: a region takes " + region.inputs().size() + " inputs, the node gives " + args.size());
        }
        OpLowering sub = new OpLowering(into, region, parent.opset(), new ShapeInputs(into, null, 0, 0), Map.of(), null);
        for (int i = 0; i < args.size(); i++) sub.bind(region.inputs().get(i), args.get(i));
        sub.lowerAll();
        String[] outs = new String[region.outputs().size()];
        for (int i = 0; i < outs.length; i++) outs[i] = sub.name(region.outputs().get(i));
        return outs;
    }

    /** A region inlined into the enclosing graph (the loop's first test). */
    private static String[] inline(OpLowering l, Graph region, List<String> args) {
        return lowerInto(l, l.writer(), region, args);
    }

    /** A body output: ONNX wants a graph output to be a value the body defines, so an input passed through gets an Identity. */
    private static void output(GraphWriter b, String name, TensorSpec spec) {
        String out = b.node1("Identity", name);
        b.proto().addOutput(GraphWriter.info(out, spec));
    }
}
