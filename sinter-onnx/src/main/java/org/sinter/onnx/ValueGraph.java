package org.sinter.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.onnx.ops.NodeContext;
import org.sinter.onnx.ops.OpRegistry;
import org.sinter.onnx.ops.StringKernels;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.NodeProto;
import org.sinter.onnx.proto.Onnx.TensorProto;
import org.sinter.onnx.proto.Onnx.ValueInfoProto;

/**
 * The eager runner for graphs whose values are not all tensors: ONNX sequences and optionals
 * ({@link OnnxSequence}, {@link OnnxOptional}), which Sinter's compiler has no type for. Values
 * live here, in a map from names to objects; each node runs on the actual values: the sequence
 * and optional operators here, {@code If}, {@code Loop} and {@code SequenceMap} by running their
 * bodies as many times as the data says, and every other operator through its ordinary tensor
 * kernel (which then must see tensors only). Nothing is traced or compiled.
 */
public final class ValueGraph {
    private ValueGraph() {}

    /** The operators that only this runner executes; a model using one (or a non-tensor input or output) runs here. */
    static final Set<String> OPS = Set.of("SequenceConstruct", "SequenceEmpty", "SequenceInsert", "SequenceAt", "SequenceErase", "SequenceLength",
            "ConcatFromSequence", "SplitToSequence", "SequenceMap", "Optional", "OptionalHasElement", "OptionalGetElement", "StringNormalizer");

    /** Loops without a trip count stop with an error past this many iterations (a model that never ends its loop must not hang the caller). */
    static final long MAX_ITERATIONS = 50_000L;

    /** Registers the operators above for the load-time check (their attributes); they run only in {@link #run}. */
    public static void register(OpRegistry r) {
        org.sinter.onnx.ops.Kernel refuse = n -> {
            throw n.unsupported("a sequence or optional operator inside a compiled graph");
        };
        r.add("SequenceConstruct", refuse);
        r.add("SequenceEmpty", refuse, "dtype");
        r.add("SequenceInsert", refuse);
        r.add("SequenceAt", refuse);
        r.add("SequenceErase", refuse);
        r.add("SequenceLength", refuse);
        r.add("ConcatFromSequence", refuse, "axis", "new_axis");
        r.add("SplitToSequence", refuse, "axis", "keepdims");
        r.add("SequenceMap", refuse, "body");
        r.add("Optional", refuse, "type");
        r.add("OptionalHasElement", refuse);
        r.add("OptionalGetElement", refuse);
        r.add("StringNormalizer", n -> {
            throw n.unsupported("StringNormalizer inside a compiled graph (string tensors live only in the eager runner)");
        }, "case_change_action", "is_case_sensitive", "locale", "stopwords");
    }

    /** Whether {@code nodes} (or their sub-graphs) use one of {@link #OPS}. */
    static boolean needed(List<NodeProto> nodes) {
        for (NodeProto n : nodes) {
            if (OPS.contains(n.getOpType()) || StringKernels.castsToString(n)) return true;
            for (AttributeProto a : n.getAttributeList()) if (a.hasG() && needed(a.getG().getNodeList())) return true;
        }
        return false;
    }

    /** Runs {@code nodes} (sorted) in {@code env}, which holds what they read and receives what they define. */
    static void run(List<NodeProto> nodes, Map<String, Object> env, int opset, Map<String, Integer> declaredTypes) {
        for (NodeProto node : nodes) {
            Object[] in = new Object[node.getInputCount()];
            for (int i = 0; i < in.length; i++) {
                String name = node.getInput(i);
                if (name.isEmpty()) continue;
                in[i] = env.get(name);
                if (in[i] == null) throw new OnnxException(describe(node, opset) + " reads '" + name + "', which is not defined");
            }
            Map<String, AttributeProto> attrs = new HashMap<>();
            for (AttributeProto a : node.getAttributeList()) attrs.put(a.getName(), a);
            Object[] out;
            try {
                out = runNode(node, in, attrs, env, opset, declaredTypes);
            } catch (OnnxException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new OnnxException(describe(node, opset) + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < node.getOutputCount(); i++) {
                if (node.getOutput(i).isEmpty()) continue;
                if (i >= out.length || out[i] == null) throw new OnnxException(describe(node, opset) + ": output " + i + " was not computed");
                env.put(node.getOutput(i), out[i]);
            }
        }
    }

    private static String describe(NodeProto n, int opset) {
        return "node '" + n.getName() + "' (" + OnnxFile.qualified(n) + ", opset " + opset + ")";
    }

    private static Object[] runNode(NodeProto node, Object[] in, Map<String, AttributeProto> attrs, Map<String, Object> env, int opset,
                                    Map<String, Integer> declaredTypes) {
        Tensor[] tensors = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) if (in[i] instanceof Tensor t) tensors[i] = t;
        NodeContext ctx = new NodeContext(node, tensors, attrs, opset, declaredTypes, tensorScope(env));
        switch (node.getOpType()) {
            case "Identity": return new Object[] {in[0]};
            case "If": {
                GraphProto branch = bool(tensor(ctx, in, 0)) ? ctx.attrGraph("then_branch") : ctx.attrGraph("else_branch");
                return body(branch, env, List.of(), ctx, opset, declaredTypes).toArray();
            }
            case "Loop": return loop(ctx, in, env, opset, declaredTypes);
            case "SequenceMap": return sequenceMap(ctx, in, env, opset, declaredTypes);
            case "SequenceConstruct": {
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < in.length; i++) items.add(tensor(ctx, in, i));
                return new Object[] {new OnnxSequence(items)};
            }
            case "SequenceEmpty": return new Object[] {new OnnxSequence(List.of())};
            case "SequenceLength": return new Object[] {Tensor.scalar(sequence(ctx, in, 0).size(), DType.INT64)};
            case "SequenceAt": {
                OnnxSequence s = sequence(ctx, in, 0);
                return new Object[] {s.items().get(position(ctx, in, 1, s.size(), false))};
            }
            case "SequenceInsert": {
                OnnxSequence s = sequence(ctx, in, 0);
                List<Object> items = new ArrayList<>(s.items());
                int at = has(in, 2) ? position(ctx, in, 2, s.size(), true) : s.size();
                items.add(at, tensor(ctx, in, 1));
                return new Object[] {new OnnxSequence(items)};
            }
            case "SequenceErase": {
                OnnxSequence s = sequence(ctx, in, 0);
                if (s.size() == 0) throw ctx.error("cannot erase from an empty sequence");
                List<Object> items = new ArrayList<>(s.items());
                items.remove(has(in, 1) ? position(ctx, in, 1, s.size(), false) : s.size() - 1);
                return new Object[] {new OnnxSequence(items)};
            }
            case "ConcatFromSequence": return new Object[] {concatFromSequence(ctx, sequence(ctx, in, 0))};
            case "SplitToSequence": return new Object[] {splitToSequence(ctx, tensor(ctx, in, 0), has(in, 1) ? tensor(ctx, in, 1) : null)};
            case "Optional": return new Object[] {has(in, 0) ? new OnnxOptional(in[0]) : OnnxOptional.EMPTY};
            case "OptionalHasElement": {
                boolean present = has(in, 0) && (!(in[0] instanceof OnnxOptional o) || o.isPresent());
                return new Object[] {Tensor.of(new boolean[] {present}).reshape()};
            }
            case "StringNormalizer": return new Object[] {StringKernels.normalize(ctx, strings(ctx, in, 0))};
            case "Cast", "CastLike": {
                if (!has(in, 0)) throw ctx.error("input 0 is required");
                boolean toString = node.getOpType().equals("Cast") ? StringKernels.castsToString(node) : has(in, 1) && in[1] instanceof OnnxStrings;
                if (in[0] instanceof OnnxStrings s) {
                    if (toString) return new Object[] {s};
                    int to = node.getOpType().equals("Cast") ? (int) ctx.attrInt("to", 0) : ElementTypes.code(tensor(ctx, in, 1).dtype());
                    if (!node.getOpType().equals("Cast") && ctx.onnxType(1) != 0) to = ctx.onnxType(1);
                    return new Object[] {StringKernels.fromStrings(ctx, s, to)};
                }
                if (toString) return new Object[] {StringKernels.toStrings(tensor(ctx, in, 0))};
                return tensorKernel(node, in, ctx);
            }
            case "OptionalGetElement": {
                if (!has(in, 0)) throw ctx.error("input 0 is required");
                if (!(in[0] instanceof OnnxOptional o)) return new Object[] {in[0]};
                if (!o.isPresent()) throw ctx.error("the optional input is empty");
                return new Object[] {o.value()};
            }
            default: return tensorKernel(node, in, ctx);
        }
    }

    /** Runs {@code node}'s ordinary tensor kernel, which must see tensors only. */
    private static Object[] tensorKernel(NodeProto node, Object[] in, NodeContext ctx) {
        for (int i = 0; i < in.length; i++) {
            if (in[i] != null && !(in[i] instanceof Tensor)) throw ctx.error("input " + i + " must be a tensor, got a " + kind(in[i]));
        }
        OpRegistry.OpDef def = OpRegistry.standard().get(node.getDomain(), node.getOpType());
        if (def == null) throw ctx.unsupported("operator " + node.getOpType());
        return def.kernel().run(ctx);
    }

    private static OnnxStrings strings(NodeContext ctx, Object[] in, int i) {
        if (!has(in, i)) throw ctx.error("input " + i + " is required");
        if (!(in[i] instanceof OnnxStrings s)) throw ctx.error("input " + i + " must be a string tensor, got a " + kind(in[i]));
        return s;
    }

    /** The tensors of {@code env}, for kernels that read their enclosing scope by name. */
    private static Map<String, Tensor> tensorScope(Map<String, Object> env) {
        Map<String, Tensor> out = new HashMap<>();
        for (var e : env.entrySet()) if (e.getValue() instanceof Tensor t) out.put(e.getKey(), t);
        return out;
    }

    /** Runs sub-graph {@code g} on {@code args} (its inputs, in order) with the enclosing values visible; returns its outputs. */
    static List<Object> body(GraphProto g, Map<String, Object> outer, List<Object> args, NodeContext owner, int opset, Map<String, Integer> declaredTypes) {
        String where = owner.describe() + " body '" + g.getName() + "'";
        if (args.size() != g.getInputCount()) throw new OnnxException(where + ": takes " + g.getInputCount() + " inputs, given " + args.size());
        Map<String, Object> env = new HashMap<>(outer);
        for (TensorProto t : g.getInitializerList()) env.put(t.getName(), TensorProtos.toTensor(t, null, where + ": initializer '" + t.getName() + "'"));
        for (int i = 0; i < args.size(); i++) env.put(g.getInput(i).getName(), args.get(i));
        Map<String, Integer> types = new HashMap<>(declaredTypes);
        for (ValueInfoProto v : g.getInputList()) if (v.getType().hasTensorType()) types.put(v.getName(), v.getType().getTensorType().getElemType());
        run(GraphChecker.sortedNodes(g, where, outer.keySet()), env, opset, types);
        List<Object> out = new ArrayList<>();
        for (ValueInfoProto v : g.getOutputList()) {
            Object o = env.get(v.getName());
            if (o == null) throw new OnnxException(where + ": output '" + v.getName() + "' is not defined");
            out.add(o);
        }
        return out;
    }

    /**
     * ONNX Loop, run eagerly: (trip count M, condition, carried values...) into a body of
     * (iteration, condition, carried...) → (condition, carried..., scan outputs...); scan outputs
     * are stacked along a new first axis.
     */
    private static Object[] loop(NodeContext ctx, Object[] in, Map<String, Object> env, int opset, Map<String, Integer> declaredTypes) {
        GraphProto g = ctx.attrGraph("body");
        Long trips = has(in, 0) ? tensor(ctx, in, 0).toLongArray()[0] : null;
        boolean cond = !has(in, 1) || bool(tensor(ctx, in, 1));
        int carried = in.length - 2;
        if (g.getInputCount() != carried + 2) throw ctx.error("the body takes " + g.getInputCount() + " inputs, the loop carries " + carried + " values (+ 2)");
        int scans = g.getOutputCount() - 1 - carried;
        if (scans < 0) throw ctx.error("the body returns " + g.getOutputCount() + " outputs, fewer than the " + (carried + 1) + " it must");
        List<Object> state = new ArrayList<>();
        for (int i = 2; i < in.length; i++) state.add(in[i]);
        List<List<Tensor>> scanned = new ArrayList<>();
        for (int k = 0; k < scans; k++) scanned.add(new ArrayList<>());
        for (long i = 0; cond && (trips == null || i < trips); i++) {
            if (trips == null && i >= MAX_ITERATIONS) throw ctx.error("the loop ran " + MAX_ITERATIONS + " iterations without its condition turning false");
            List<Object> args = new ArrayList<>();
            args.add(Tensor.scalar(i, DType.INT64));
            args.add(Tensor.of(new boolean[] {cond}).reshape());
            args.addAll(state);
            List<Object> out = body(g, env, args, ctx, opset, declaredTypes);
            cond = !(out.get(0) instanceof Tensor c) || bool(c);
            state = new ArrayList<>(out.subList(1, 1 + carried));
            for (int k = 0; k < scans; k++) {
                if (!(out.get(1 + carried + k) instanceof Tensor t)) throw ctx.error("scan output " + k + " must be a tensor");
                scanned.get(k).add(t);
            }
        }
        Object[] result = new Object[carried + scans];
        for (int i = 0; i < carried; i++) result[i] = state.get(i);
        for (int k = 0; k < scans; k++) {
            List<Tensor> s = scanned.get(k);
            result[carried + k] = s.isEmpty() ? Tensor.zeros(DType.FLOAT32, 0) : Tensor.stack(s, 0);
        }
        return result;
    }

    /** SequenceMap: the body once per element of the first (sequence) input; other sequences go element by element, tensors whole. */
    private static Object[] sequenceMap(NodeContext ctx, Object[] in, Map<String, Object> env, int opset, Map<String, Integer> declaredTypes) {
        GraphProto g = ctx.attrGraph("body");
        int length = sequence(ctx, in, 0).size();
        for (int i = 1; i < in.length; i++) {
            if (in[i] instanceof OnnxSequence s && s.size() != length) throw ctx.error("input " + i + " has " + s.size() + " elements, input 0 has " + length);
        }
        List<List<Object>> outs = new ArrayList<>();
        for (int k = 0; k < g.getOutputCount(); k++) outs.add(new ArrayList<>());
        for (int j = 0; j < length; j++) {
            List<Object> args = new ArrayList<>();
            for (Object o : in) args.add(o instanceof OnnxSequence s ? s.items().get(j) : o);
            List<Object> out = body(g, env, args, ctx, opset, declaredTypes);
            for (int k = 0; k < out.size(); k++) outs.get(k).add(out.get(k));
        }
        Object[] result = new Object[outs.size()];
        for (int k = 0; k < result.length; k++) result[k] = new OnnxSequence(outs.get(k));
        return result;
    }

    private static Tensor concatFromSequence(NodeContext ctx, OnnxSequence s) {
        if (s.size() == 0) throw ctx.error("cannot concatenate an empty sequence");
        List<Tensor> items = new ArrayList<>();
        for (Object o : s.items()) {
            if (!(o instanceof Tensor t)) throw ctx.error("the sequence must hold tensors, got a " + kind(o));
            items.add(t);
        }
        boolean newAxis = ctx.attrInt("new_axis", 0) != 0;
        if (!ctx.hasAttr("axis")) throw ctx.error("attribute 'axis' is required");
        int rank = items.get(0).dim() + (newAxis ? 1 : 0);
        int axis = ctx.axis(ctx.attrInt("axis", 0), rank);
        return newAxis ? Tensor.stack(items, axis) : Tensor.cat(items, axis);
    }

    private static OnnxSequence splitToSequence(NodeContext ctx, Tensor x, Tensor split) {
        int axis = ctx.axis(ctx.attrInt("axis", 0), x.dim());
        int size = x.size(axis);
        List<Integer> lengths = new ArrayList<>();
        boolean keep = true;
        if (split == null) {
            for (int i = 0; i < size; i++) lengths.add(1);
            keep = ctx.attrInt("keepdims", 1) != 0;
        } else if (split.dim() == 0) {
            long chunk = split.toLongArray()[0];
            if (chunk <= 0) throw ctx.error("split must be positive, got " + chunk);
            for (int at = 0; at < size; at += (int) chunk) lengths.add((int) Math.min(chunk, size - at));
        } else {
            long total = 0;
            for (long l : split.toLongArray()) {
                if (l < 0) throw ctx.error("split lengths must be non-negative, got " + l);
                lengths.add((int) l);
                total += l;
            }
            if (total != size) throw ctx.error("split lengths sum to " + total + ", the axis has " + size);
        }
        List<Object> items = new ArrayList<>();
        int at = 0;
        for (int l : lengths) {
            Tensor piece = x.narrow(axis, at, l).contiguous();
            items.add(keep ? piece : piece.squeeze(axis));
            at += l;
        }
        return new OnnxSequence(items);
    }

    private static boolean has(Object[] in, int i) { return i < in.length && in[i] != null; }

    private static Tensor tensor(NodeContext ctx, Object[] in, int i) {
        if (!has(in, i)) throw ctx.error("input " + i + " is required but missing");
        if (!(in[i] instanceof Tensor t)) throw ctx.error("input " + i + " must be a tensor, got a " + kind(in[i]));
        return t;
    }

    private static OnnxSequence sequence(NodeContext ctx, Object[] in, int i) {
        if (!has(in, i)) throw ctx.error("input " + i + " is required but missing");
        if (!(in[i] instanceof OnnxSequence s)) throw ctx.error("input " + i + " must be a sequence, got a " + kind(in[i]));
        return s;
    }

    /** A position input (scalar integer) in -n..n-1, or -n..n where inserting at the end is allowed. */
    private static int position(NodeContext ctx, Object[] in, int i, int n, boolean insert) {
        long p = tensor(ctx, in, i).toLongArray()[0];
        long hi = insert ? n : n - 1;
        if (p < -n || p > hi) throw ctx.error("position " + p + " is outside " + -n + ".." + hi + " for a sequence of " + n);
        return (int) (p < 0 ? p + n : p);
    }

    private static boolean bool(Tensor t) {
        if (t.numel() != 1) throw new OnnxException("a condition must hold one value, got " + t.describe());
        return t.to(DType.FLOAT64).toDoubleArray()[0] != 0;
    }

    static String kind(Object o) {
        return o instanceof OnnxSequence ? "sequence" : o instanceof OnnxOptional ? "optional" : o instanceof OnnxStrings ? "string tensor"
                : o instanceof Tensor ? "tensor" : String.valueOf(o);
    }
}
