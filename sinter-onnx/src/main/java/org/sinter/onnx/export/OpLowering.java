package org.sinter.onnx.export;

import static org.sinter.onnx.export.GraphWriter.attr;
import static org.sinter.onnx.export.GraphWriter.list;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Tensor;
import org.sinter.compiler.ir.ControlFlowOps;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.kernels.BinaryFn;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.pool.PoolKernels.MaxGeometry;
import org.sinter.kernels.pool.PoolWindows;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.CompareOps;
import org.sinter.ops.Custom;
import org.sinter.ops.IndexOps;
import org.sinter.ops.LinalgOps;
import org.sinter.ops.NnOps;
import org.sinter.ops.Op;
import org.sinter.ops.ReduceOps;
import org.sinter.ops.ShapeOps;
import org.sinter.ops.SoftmaxOps;
import org.sinter.ops.TypePromotion;
import org.sinter.ops.UnaryOps;
import org.sinter.ops.ViewOps;

/**
 * The compiler's primitives as ONNX nodes: one traced graph (or control-flow region) becomes one
 * ONNX graph. Every primitive of the engine's closed op set that a forward computation uses has a
 * mapping (several ONNX nodes where ONNX has no operator of the same meaning); what has none (the
 * backward-only ops, strided views, random draws, user-defined functions other than the
 * quantization ops) is refused with the node and the op named.
 *
 * <p>ONNX operands of one operator share one element type where Sinter promotes (a float32 tensor
 * times a double scalar, an int tensor compared with a float): operands are cast to the type the
 * primitive's meta function gives, and constants are converted when they are written.
 */
final class OpLowering {
    private final GraphWriter w;
    private final Graph graph;
    private final int opset;
    private final ShapeInputs shapes;
    /** Per node, the slopes of its int attributes in the batch size (null: none depends on it). */
    private final Map<Node, int[]> slopes;
    private final Map<Value, String> names = new IdentityHashMap<>();
    private final Map<Value, Map<DType, String>> converted = new IdentityHashMap<>();
    /** Outer values a region reads; resolved by the parent graph (ONNX bodies see their enclosing scope by name). */
    private final java.util.function.Function<Value, String> outer;

    OpLowering(GraphWriter w, Graph graph, int opset, ShapeInputs shapes, Map<Node, int[]> slopes,
               java.util.function.Function<Value, String> outer) {
        this.w = w;
        this.graph = graph;
        this.opset = opset;
        this.shapes = shapes;
        this.slopes = slopes;
        this.outer = outer;
    }

    GraphWriter writer() { return w; }

    private final Map<Value, String> raw8 = new IdentityHashMap<>();

    /** The 8-bit ONNX value a QuantizeLinear node made for {@code v}, or null. */
    String rawQuantized(Value v) { return raw8.get(v); }

    void rawQuantized(Value v, String name) { raw8.put(v, name); }

    int opset() { return opset; }

    /** Names a graph input or other value defined outside the nodes (a body's inputs). */
    void bind(Value v, String name) {
        names.put(v, name);
    }

    /** Lowers every node in order. */
    void lowerAll() {
        for (Node n : graph.nodes()) lower(n);
    }

    /** The ONNX name of a value: an input, a node's output, or a parameter/constant (written as an initializer on first use). */
    String name(Value v) {
        String n = names.get(v);
        if (n != null) return n;
        Graph.Parameter p = graph.parameter(v);
        if (p == null) {
            if (outer != null) return outer.apply(v);
            throw new IllegalStateException("onnx export: value " + v + " is used before it is defined");
        }
        if (p.tensor() == null || p.tensor().isMeta()) {
            throw new IllegalArgumentException("onnx export: parameter '" + p.name() + "' has no data to write");
        }
        if (p.constant()) {
            n = w.initializer("const", p.tensor());
        } else {
            n = w.claim(p.name());
            w.initializerNamed(n, p.tensor());
        }
        names.put(v, n);
        return n;
    }

    /** The value in dtype {@code dt}: itself, a converted constant, or a Cast. */
    String as(Value v, DType dt) {
        if (v.dtype() == dt) return name(v);
        return converted.computeIfAbsent(v, k -> new HashMap<>()).computeIfAbsent(dt, d -> {
            Graph.Parameter p = graph.parameter(v);
            if (p != null && p.constant() && p.tensor() != null) return w.initializer("const", p.tensor().to(d));
            return w.cast(name(v), d);
        });
    }

    private void define(Node n, String... outs) {
        for (int i = 0; i < outs.length; i++) names.put(n.outputs().get(i), outs[i]);
    }

    private List<String> all(Node n, DType dt) {
        List<String> r = new ArrayList<>();
        for (Value v : n.inputs()) r.add(as(v, dt));
        return r;
    }

    /** The promoted dtype of the node's operands, as the engine computes it (bound scalars promote as Java scalars). */
    private DType promoted(Node n) {
        Tensor[] metas = new Tensor[n.inputs().size()];
        for (int i = 0; i < metas.length; i++) {
            Value v = n.inputs().get(i);
            Graph.Parameter p = graph.parameter(v);
            metas[i] = p != null && p.constant() && p.tensor() != null && p.tensor().dim() == 0 ? p.tensor()
                    : Tensor.empty(v.dtype(), Device.META, v.shape());
        }
        return TypePromotion.resultType(metas);
    }

    IllegalArgumentException refuse(Node n, String why) {
        return new IllegalArgumentException("onnx export: node " + n + " (" + Op.describe(n.op()) + "): " + why);
    }

    private int[] slopesOf(Node n, int from, int count) {
        int[] s = slopes.get(n);
        return s == null ? null : java.util.Arrays.copyOfRange(s, from, from + count);
    }

    private void lower(Node n) {
        int[] s = slopes.get(n);
        if (s != null && !(n.op() instanceof ViewOps.Reshape || n.op() instanceof ViewOps.Expand || n.op() instanceof ViewOps.Slice)) {
            throw refuse(n, "an attribute depends on the dynamic size (the batch, or the axis of withDynamicAxis; only reshape, expand and slice sizes may); export with static shapes");
        }
        Op op = n.op();
        DType rt = n.outputs().isEmpty() ? null : n.outputs().get(0).dtype();
        String x = n.inputs().isEmpty() ? null : name(n.inputs().get(0));
        switch (op) {
            case BinaryOps.Binary b -> define(n, binary(n, b.fn(), as(n.inputs().get(0), rt), as(n.inputs().get(1), rt), rt));
            case BinaryOps.Axpy a -> define(n, w.node1("Add", list(as(n.inputs().get(0), rt),
                    w.node1("Mul", list(as(n.inputs().get(1), rt), w.scalar(a.alpha(), rt))))));
            case CompareOps.Compare c -> {
                DType t = promoted(n);
                String l = as(n.inputs().get(0), t), r = as(n.inputs().get(1), t);
                define(n, switch (c.fn()) {
                    case EQ -> w.node1("Equal", list(l, r));
                    case NE -> w.node1("Not", w.node1("Equal", list(l, r)));
                    case LT -> w.node1("Less", list(l, r));
                    case LE -> w.node1("LessOrEqual", list(l, r));
                    case GT -> w.node1("Greater", list(l, r));
                    case GE -> w.node1("GreaterOrEqual", list(l, r));
                });
            }
            case CompareOps.Logical l -> {
                List<String> in = all(n, DType.BOOL);
                define(n, switch (l.kind()) {
                    case AND -> w.node1("And", in);
                    case OR -> w.node1("Or", in);
                    case XOR -> w.node1("Xor", in);
                    case NOT -> w.node1("Not", in);
                });
            }
            case CompareOps.IsFinite f -> define(n, n.inputs().get(0).dtype().isFloatingPoint()
                    ? w.node1("Not", w.node1("Or", list(w.node1("IsInf", x), w.node1("IsNaN", x))))
                    : w.node1("Equal", list(x, x)));
            case UnaryOps.Unary u -> define(n, UnaryLowering.lower(w, u, as(n.inputs().get(0), rt), rt, opset));
            case UnaryOps.Cast c -> define(n, w.cast(x, c.to()));
            case IndexOps.Where wh -> define(n, w.node1("Where", list(as(n.inputs().get(0), DType.BOOL), as(n.inputs().get(1), rt), as(n.inputs().get(2), rt))));
            case IndexOps.Gather g -> define(n, w.node1("GatherElements", list(x, name(n.inputs().get(1))), attr("axis", g.dim())));
            case IndexOps.IndexSelect g -> define(n, w.node1("Gather", list(x, name(n.inputs().get(1))), attr("axis", g.dim())));
            case IndexOps.Scatter sc -> {
                if (sc.add() && opset < 16) throw refuse(n, "scatter_add needs ScatterElements' reduction, opset 16 or later (asked for " + opset + ")");
                List<String> in = list(x, name(n.inputs().get(1)), as(n.inputs().get(2), rt));
                define(n, sc.add() ? w.node1("ScatterElements", in, attr("axis", sc.dim()), attr("reduction", "add"))
                        : w.node1("ScatterElements", in, attr("axis", sc.dim())));
            }
            case LinalgOps.Bmm b -> define(n, w.node1("MatMul", list(x, name(n.inputs().get(1)))));
            case NnOps.Conv2d c -> define(n, conv(n, c.g(), false));
            case NnOps.ConvTranspose2d c -> define(n, conv(n, c.g(), true));
            case NnOps.MaxPool2d m -> define(n, maxPool(n, m.g(), x));
            case NnOps.AvgPool2d a -> define(n, PoolLowering.average(this, n, a.wd(), x));
            case NnOps.Embedding e -> define(n, embedding(n, e));
            case ReduceOps.Reduce r -> define(n, ReduceLowering.reduce(w, r, as(n.inputs().get(0), rt), opset));
            case ReduceOps.ArgReduce a -> define(n, ReduceLowering.argReduce(w, a, x, n.inputs().get(0).shape().length, n.outputs().get(0).shape()));
            case ReduceOps.Norm no -> define(n, ReduceLowering.norm(w, no, x, opset));
            case ReduceOps.Cumsum c -> define(n, w.node1("CumSum", list(as(n.inputs().get(0), rt), w.initializer("axis", Tensor.scalar(c.dim(), DType.INT64)))));
            case ShapeOps.Clone c -> define(n, w.node1("Identity", x));
            case ViewOps.Alias a -> define(n, w.node1("Identity", x));
            case ShapeOps.CopyFrom c -> define(n, w.node1("Expand", list(as(n.inputs().get(1), rt), w.node1("Shape", x))));
            case ShapeOps.Fill f -> define(n, w.node1("Expand", list(w.scalar(f.value(), rt), w.node1("Shape", x))));
            case ShapeOps.Cat c -> define(n, w.node1("Concat", all(n, rt), attr("axis", c.dim())));
            case ShapeOps.ConstantPad p -> define(n, pad(n, p, as(n.inputs().get(0), rt), rt));
            case ShapeOps.Flip f -> {
                int k = f.dims().size();
                long[] starts = new long[k], ends = new long[k], steps = new long[k];
                java.util.Arrays.fill(starts, -1);
                java.util.Arrays.fill(ends, Long.MIN_VALUE);
                java.util.Arrays.fill(steps, -1);
                define(n, w.node1("Slice", list(x, w.ints(starts), w.ints(ends), w.ints(f.dims().toArray()), w.ints(steps))));
            }
            case ShapeOps.Tri t -> define(n, tri(n, t, x, rt));
            case SoftmaxOps.Softmax sm -> define(n, w.node1(sm.log() ? "LogSoftmax" : "Softmax", x, attr("axis", sm.dim())));
            case ViewOps.Reshape r -> {
                int[] shape = r.shape().toArray();
                boolean zero = java.util.Arrays.stream(shape).anyMatch(d -> d == 0);
                if (zero && opset < 14) throw refuse(n, "a reshape to an empty shape needs allowzero, opset 14 or later");
                String target = shapes.of(shape, slopesOf(n, 0, shape.length));
                define(n, zero ? w.node1("Reshape", list(x, target), attr("allowzero", 1)) : w.node1("Reshape", list(x, target)));
            }
            case ViewOps.Expand e -> define(n, w.node1("Expand", list(x, shapes.of(e.shape().toArray(), slopesOf(n, 0, e.shape().size())))));
            case ViewOps.Permute p -> define(n, w.node1("Transpose", x, attr("perm", p.dims().toArray())));
            case ViewOps.Transpose t -> {
                int[] perm = new int[n.inputs().get(0).shape().length];
                for (int i = 0; i < perm.length; i++) perm[i] = i;
                perm[t.dim0()] = t.dim1();
                perm[t.dim1()] = t.dim0();
                define(n, w.node1("Transpose", x, attr("perm", perm)));
            }
            case ViewOps.Slice sl -> {
                int[] sv = slopes.get(n);
                String starts = shapes.of(new int[] {sl.start()}, sv == null ? null : new int[] {sv[1]});
                String ends = shapes.of(new int[] {sl.end()}, sv == null ? null : new int[] {sv[2]});
                define(n, w.node1("Slice", list(x, starts, ends, w.ints(sl.dim()), w.ints(sl.step()))));
            }
            case ViewOps.Select sel -> define(n, w.node1("Gather", list(x, w.initializer("index", Tensor.scalar(sel.index(), DType.INT64))), attr("axis", sel.dim())));
            case ViewOps.Squeeze sq -> define(n, sq.dims().size() == 0 ? w.node1("Identity", x) : w.node1("Squeeze", list(x, w.ints(sq.dims().toArray()))));
            case ViewOps.Unsqueeze u -> define(n, w.node1("Unsqueeze", list(x, w.ints(u.dim()))));
            case QdqOps.QuantizeLinear q -> define(n, QdqExport.quantize(this, graph, n, q));
            case QdqOps.DequantizeLinear d -> define(n, QdqExport.dequantize(this, graph, n, d));
            case Custom c -> throw refuse(n, "a user-defined Function is Java code, which ONNX cannot hold");
            case ControlFlowOps.ControlFlowOp cf -> define(n, ControlFlowExport.lower(this, n, cf));
            default -> throw refuse(n, "no ONNX mapping for this primitive (" + op.getClass().getSimpleName() + ")");
        }
    }

    private String binary(Node n, BinaryFn fn, String a, String b, DType rt) {
        boolean f = rt.isFloatingPoint();
        return switch (fn) {
            case ADD -> w.node1("Add", list(a, b));
            case SUB -> w.node1("Sub", list(a, b));
            case MUL -> w.node1("Mul", list(a, b));
            case DIV -> w.node1("Div", list(a, b));
            case POW -> w.node1("Pow", list(a, b));
            case MAXIMUM -> w.node1("Max", list(a, b));
            case MINIMUM -> w.node1("Min", list(a, b));
            case FMOD -> w.node1("Mod", list(a, b), attr("fmod", 1));
            case REMAINDER -> f ? w.node1("Sub", list(a, w.node1("Mul", list(b, w.node1("Floor", w.node1("Div", list(a, b)))))))
                    : w.node1("Mod", list(a, b));
            case FLOOR_DIVIDE -> f ? w.node1("Floor", w.node1("Div", list(a, b)))
                    // integers: exact through float64 for |values| < 2^53 (ONNX's integer Div truncates toward zero)
                    : w.cast(w.node1("Floor", w.node1("Div", list(w.cast(a, DType.FLOAT64), w.cast(b, DType.FLOAT64)))), rt);
            case ATAN2 -> throw refuse(n, "atan2 has no ONNX operator");
        };
    }

    private String conv(Node n, ConvGeometry g, boolean transposed) {
        List<String> in = new ArrayList<>();
        for (Value v : n.inputs()) in.add(name(v));
        int[] kernel = {g.kh(), g.kw()}, strides = {g.sh(), g.sw()}, dil = {g.dh(), g.dw()};
        if (!transposed) {
            int padB = endPad(g.h(), g.oh(), g.kh(), g.sh(), g.ph(), g.dh(), n), padR = endPad(g.w(), g.ow(), g.kw(), g.sw(), g.pw(), g.dw(), n);
            return w.node1("Conv", in, attr("kernel_shape", kernel), attr("strides", strides), attr("dilations", dil),
                    attr("pads", new int[] {g.ph(), g.pw(), padB, padR}), attr("group", g.groups()));
        }
        // The transposed convolution maps [oh, ow] back to [h, w]: output_padding makes up what the stride's floor dropped.
        int baseH = (g.oh() - 1) * g.sh() - 2 * g.ph() + g.dh() * (g.kh() - 1) + 1;
        int baseW = (g.ow() - 1) * g.sw() - 2 * g.pw() + g.dw() * (g.kw() - 1) + 1;
        int opH = g.h() - baseH, opW = g.w() - baseW;
        if (opH < 0 || opW < 0 || opH >= Math.max(g.sh(), g.dh()) || opW >= Math.max(g.sw(), g.dw())) {
            throw refuse(n, "the transposed convolution's output size " + g.h() + "x" + g.w() + " is not reachable with output_padding");
        }
        return w.node1("ConvTranspose", in, attr("kernel_shape", kernel), attr("strides", strides), attr("dilations", dil),
                attr("pads", new int[] {g.ph(), g.pw(), g.ph(), g.pw()}), attr("output_padding", new int[] {opH, opW}), attr("group", g.groups()));
    }

    /**
     * The bottom/right padding that gives {@code out}: the top/left one when that fits (PyTorch's
     * symmetric padding, whose last partial window the floor drops), else exactly what is needed.
     */
    private int endPad(int in, int out, int k, int s, int p, int d, Node n) {
        if (ConvGeometry.outSize(in, p, p, k, s, d) == out) return p;
        int need = (out - 1) * s + d * (k - 1) + 1 - in - p;
        if (need < 0 || ConvGeometry.outSize(in, p, need, k, s, d) != out) throw refuse(n, "no padding gives output size " + out);
        return need;
    }

    private String maxPool(Node n, MaxGeometry g, String x) {
        if (n.outputs().size() > 1 && isUsed(n.outputs().get(1))) {
            throw refuse(n, "max pooling's indices are per plane in Sinter and per tensor in ONNX; export a model that does not use them");
        }
        int floorH = ConvGeometry.outSize(g.h(), g.ph(), g.ph(), g.kh(), g.sh(), g.dh()), floorW = ConvGeometry.outSize(g.w(), g.pw(), g.pw(), g.kw(), g.sw(), g.dw());
        boolean ceil = floorH != g.oh() || floorW != g.ow();
        return w.node1("MaxPool", x, attr("kernel_shape", new int[] {g.kh(), g.kw()}), attr("strides", new int[] {g.sh(), g.sw()}),
                attr("pads", new int[] {g.ph(), g.pw(), g.ph(), g.pw()}), attr("dilations", new int[] {g.dh(), g.dw()}), attr("ceil_mode", ceil ? 1 : 0));
    }

    private boolean isUsed(Value v) {
        for (Node m : graph.nodes()) if (m.inputs().contains(v)) return true;
        return graph.outputs().contains(v);
    }

    private String embedding(Node n, NnOps.Embedding e) {
        String weight = name(n.inputs().get(0)), idx = name(n.inputs().get(1));
        String rows = w.node1("Gather", list(weight, idx), attr("axis", 0));
        if (!e.zeroPadding() || e.pad() == NnOps.Embedding.NO_PADDING) return rows;
        DType it = n.inputs().get(1).dtype(), rt = n.outputs().get(0).dtype();
        String keep = w.cast(w.node1("Not", w.node1("Equal", list(idx, w.scalar(e.pad(), it)))), rt);
        return w.node1("Mul", list(rows, w.node1("Unsqueeze", list(keep, w.ints(-1)))));
    }

    private String pad(Node n, ShapeOps.ConstantPad p, String x, DType rt) {
        int rank = n.inputs().get(0).shape().length;
        long[] pads = new long[2 * rank];
        for (int i = 0; i < p.pad().size() / 2; i++) {
            int d = rank - 1 - i;
            pads[d] = p.pad().get(2 * i);
            pads[rank + d] = p.pad().get(2 * i + 1);
        }
        return w.node1("Pad", list(x, w.ints(pads), w.scalar(p.value(), rt)), attr("mode", "constant"));
    }

    private String tri(Node n, ShapeOps.Tri t, String x, DType rt) {
        if (opset >= 14) {
            return w.node1("Trilu", list(x, w.initializer("k", Tensor.scalar(t.diagonal(), DType.INT64))), attr("upper", t.lower() ? 0 : 1));
        }
        int[] s = n.inputs().get(0).shape();
        int r = s[s.length - 2], c = s[s.length - 1];
        boolean[] keep = new boolean[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) keep[i * c + j] = t.lower() ? j - i <= t.diagonal() : j - i >= t.diagonal();
        return w.node1("Where", list(w.initializer("mask", Tensor.of(keep, r, c)), x, w.scalar(0, rt)));
    }
}
