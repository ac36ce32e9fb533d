package org.sinter.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.compiler.ir.Graph;
import org.sinter.onnx.ops.DataDependentKernels;
import org.sinter.onnx.ops.OpRegistry;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.NodeProto;

/**
 * An ONNX model loaded into Sinter's compiler: {@code OnnxModel.load(path)} parses and checks the
 * file, refuses what Sinter cannot run (naming the node, operator, opset and what is missing), and
 * returns a callable with named inputs and outputs.
 *
 * <p>The graph becomes the compiler's IR by tracing: {@link OnnxFunction} runs each node's kernel
 * (Sinter tensor ops) on meta tensors under the compiler's tracer, with initializers bound as
 * constants, so an imported model gets the same passes (constant folding, CSE, DCE, conv and
 * batch-norm folding), fusion, memory planning and generated kernels as a traced Sinter module.
 * A graph is compiled per input shape: named dynamic dimensions ({@code dim_param}) are checked
 * for agreement on every call, and a new size compiles (and caches) a new specialisation. An input
 * whose values set shapes (a Reshape's target, Resize's sizes: see {@link ValueInputs}) is bound
 * as a constant, one compiled graph per distinct value, as {@code torch.jit.trace} specialises.
 */
public final class OnnxModel {
    private final OnnxFile file;
    private final List<ValueInfo> inputs;
    private final List<ValueInfo> outputs;
    private final CompileOptions options;
    private final List<NodeProto> nodes;
    private final List<OpRegistry.OpDef> defs;
    private final List<Map<String, AttributeProto>> attrs;
    private final Map<String, Tensor> initializers;
    private final int opset;
    /** Positions of the inputs whose values set shapes (see {@link ValueInputs}): each distinct value compiles its own graph. */
    private final List<Integer> valueInputs;
    /** The compiled graph when no input sets shapes; otherwise one per set of values, least recently used dropped. */
    private final CompiledFunction compiled;
    /**
     * Set when the model uses an operator whose output shape depends on its input's values
     * ({@link DataDependentKernels#OPS}), or values that are not tensors (sequences, optionals):
     * no static graph holds them, so the model runs eagerly in {@link ValueGraph}, each node on
     * the actual values, instead of through the compiler.
     */
    private final boolean eager;
    /**
     * For an eager model of tensors only: the nodes upstream of every data-dependent one, compiled as
     * one graph ({@link #compiledPart}), and the rest, run eagerly on the values it hands over; null
     * when the whole model compiles, or runs eagerly (sequences, optionals, value inputs).
     */
    private final HostSplit split;
    private final CompiledFunction compiledPart;
    private final Map<List<Object>, CompiledFunction> byValue = new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<List<Object>, CompiledFunction> e) { return size() > 16; }
    };

    private OnnxModel(OnnxFile file, CompileOptions options) {
        this.file = file;
        this.inputs = file.inputs();
        this.outputs = file.outputs();
        List<String> missing = file.unsupported(OpRegistry.standard());
        if (!missing.isEmpty()) {
            throw new UnsupportedOnnxException(file.where() + ": " + missing.size() + " unsupported: " + String.join("; ", missing.subList(0, Math.min(10, missing.size())))
                    + (missing.size() > 10 ? "; ..." : ""));
        }
        this.options = options;
        this.opset = file.opset();
        this.nodes = file.nodes();
        this.defs = new ArrayList<>();
        this.attrs = new ArrayList<>();
        for (NodeProto n : nodes) {
            defs.add(OpRegistry.standard().get(n.getDomain(), n.getOpType()));
            Map<String, AttributeProto> a = new HashMap<>();
            for (AttributeProto p : n.getAttributeList()) a.put(p.getName(), p);
            attrs.add(a);
        }
        this.initializers = file.initializers();
        java.util.Set<String> shaping = ValueInputs.of(nodes);
        this.valueInputs = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) if (shaping.contains(inputs.get(i).name())) valueInputs.add(i);
        if (usesAny(nodes, DataDependentKernels.OPS) || ValueGraph.needed(nodes) || java.util.stream.Stream.concat(inputs.stream(), outputs.stream())
                .anyMatch(v -> v.kind() != ValueInfo.Kind.TENSOR)) {
            this.eager = true;
            this.compiled = null;
            boolean tensorsOnly = !ValueGraph.needed(nodes) && valueInputs.isEmpty()
                    && java.util.stream.Stream.concat(inputs.stream(), outputs.stream()).allMatch(v -> v.kind() == ValueInfo.Kind.TENSOR);
            HostSplit s = tensorsOnly ? HostSplit.of(nodes, DataDependentKernels.OPS, outputs.stream().map(ValueInfo::name).toList()) : null;
            CompiledFunction part = null;
            if (s != null) {
                try {
                    part = compilePart(s);
                    if (inputs.stream().allMatch(ValueInfo::fullyStatic) && inputs.stream().allMatch(v -> v.dtype() != null)) part.graphFor(exampleInputs());
                } catch (RuntimeException e) {
                    // The part does not trace (a node that only the eager runner can run): the whole model runs eagerly, as before.
                    s = null;
                    part = null;
                }
            }
            this.split = s;
            this.compiledPart = part;
            return;
        }
        this.split = null;
        this.compiledPart = null;
        this.eager = false;
        this.compiled = valueInputs.isEmpty() ? compile(Map.of()) : null;
        if (compiled != null && inputs.stream().allMatch(ValueInfo::fullyStatic) && inputs.stream().allMatch(v -> v.dtype() != null)) {
            // Static shapes: compile now, so what Sinter cannot run is found at load time, not on the first call.
            compiled.graphFor(exampleInputs());
        }
    }

    /** Whether {@code nodes} or their sub-graphs use one of {@code ops}. */
    private static boolean usesAny(List<NodeProto> nodes, java.util.Set<String> ops) {
        for (NodeProto n : nodes) {
            if (ops.contains(n.getOpType())) return true;
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG() && usesAny(a.getG().getNodeList(), ops)) return true;
                for (var g : a.getGraphsList()) if (usesAny(g.getNodeList(), ops)) return true;
            }
        }
        return false;
    }

    /**
     * Whether the model runs eagerly, whole or in part (it has an operator with a data-dependent
     * output shape, or sequences or optionals), rather than as one compiled graph; see {@link #isSplit}.
     */
    public boolean isEager() { return eager; }

    /** The graph with the inputs in {@code fixed} bound as constants, traced and optimised by the compiler. */
    private CompiledFunction compile(Map<String, Tensor> fixed) {
        Map<String, Tensor> constants = new LinkedHashMap<>(initializers);
        constants.putAll(fixed);
        List<String> fed = inputs.stream().map(ValueInfo::name).filter(n -> !fixed.containsKey(n)).toList();
        OnnxFunction fn = new OnnxFunction(file.declaredTypes(), nodes, defs, attrs, constants, fed, outputs.stream().map(ValueInfo::name).toList(), opset);
        return Compiler.compile(fn, Map.of(), options);
    }

    /** The compiled part of a split model: its nodes as one function of every graph input, returning the values it hands over. */
    private CompiledFunction compilePart(HostSplit part) {
        java.util.Set<NodeProto> chosen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        chosen.addAll(part.compiled());
        List<OpRegistry.OpDef> partDefs = new ArrayList<>();
        List<Map<String, AttributeProto>> partAttrs = new ArrayList<>();
        for (int k = 0; k < nodes.size(); k++) {
            if (!chosen.contains(nodes.get(k))) continue;
            partDefs.add(defs.get(k));
            partAttrs.add(attrs.get(k));
        }
        OnnxFunction fn = new OnnxFunction(file.declaredTypes(), part.compiled(), partDefs, partAttrs, new LinkedHashMap<>(initializers),
                inputs.stream().map(ValueInfo::name).toList(), part.outputs(), opset);
        return Compiler.compile(fn, Map.of(), options);
    }

    /** Runs a split model: the compiled part, then the eager part on its outputs. */
    private Tensor[] callSplit(Tensor[] in) {
        Tensor[] handed = split.outputs().isEmpty() ? new Tensor[0] : compiledPart.call(in);
        Map<String, Object> env = new HashMap<>(initializers);
        for (int i = 0; i < in.length; i++) env.put(inputs.get(i).name(), in[i]);
        for (int j = 0; j < handed.length; j++) env.put(split.outputs().get(j), handed[j]);
        ValueGraph.run(split.host(), env, opset, file.declaredTypes());
        Tensor[] out = new Tensor[outputs.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(env.get(outputs.get(i).name()) instanceof Tensor t)) throw new OnnxException(file.where() + ": output '" + outputs.get(i).name() + "' is not defined");
            out[i] = t;
        }
        return out;
    }

    /** Whether the model runs as a compiled part followed by an eager part (see {@link HostSplit}). */
    public boolean isSplit() { return split != null; }

    /** The compiled function for these inputs, and the inputs it takes (those that do not set shapes). */
    private record Bound(CompiledFunction fn, Tensor[] inputs) {}

    private synchronized Bound bind(Tensor[] in) {
        if (valueInputs.isEmpty()) return new Bound(compiled, in);
        List<Object> key = new ArrayList<>();
        Map<String, Tensor> fixed = new LinkedHashMap<>();
        List<Tensor> rest = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            if (valueInputs.contains(i)) {
                Tensor v = in[i].clone();
                fixed.put(inputs.get(i).name(), v);
                key.add(v.dtype());
                key.add(java.util.Arrays.toString(v.shape()));
                key.add(java.util.Arrays.toString(v.toDoubleArray()));
            } else {
                rest.add(in[i]);
            }
        }
        CompiledFunction fn = byValue.computeIfAbsent(key, k -> compile(fixed));
        return new Bound(fn, rest.toArray(Tensor[]::new));
    }

    /** Loads with frozen-inference passes (the model's weights are constants) and fusion. */
    public static OnnxModel load(Path path) {
        return load(path, CompileOptions.defaults().withFrozenParameters());
    }

    public static OnnxModel load(Path path, CompileOptions options) {
        return new OnnxModel(OnnxFile.read(path), options);
    }

    public static OnnxModel load(byte[] bytes, String name, CompileOptions options) {
        return new OnnxModel(OnnxFile.parse(bytes, null, name), options);
    }

    public List<ValueInfo> inputs() { return inputs; }

    public List<ValueInfo> outputs() { return outputs; }

    public OnnxFile file() { return file; }

    /** Zero tensors of the declared input shapes (all static). */
    private Tensor[] exampleInputs() {
        Tensor[] out = new Tensor[inputs.size()];
        for (int i = 0; i < out.length; i++) {
            ValueInfo v = inputs.get(i);
            out[i] = Tensor.zeros(v.dtype(), v.shape().stream().mapToInt(d -> (int) d.size()).toArray());
        }
        return out;
    }

    /** Runs the model on named inputs; returns the outputs by name, in the graph's order. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds) {
        for (String k : feeds.keySet()) {
            if (inputs.stream().noneMatch(v -> v.name().equals(k))) {
                throw new OnnxException(file.where() + ": no input named '" + k + "'; the inputs are " + inputs.stream().map(ValueInfo::name).toList());
            }
        }
        Tensor[] in = new Tensor[inputs.size()];
        for (int i = 0; i < in.length; i++) {
            Tensor t = feeds.get(inputs.get(i).name());
            if (t == null) throw new OnnxException(file.where() + ": input '" + inputs.get(i).name() + "' is missing (declared " + inputs.get(i) + ")");
            in[i] = t;
        }
        Tensor[] out = call(in);
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < out.length; i++) named.put(outputs.get(i).name(), out[i]);
        return named;
    }

    /** Runs the model on inputs in the graph's order; returns the outputs in the graph's order. */
    public Tensor[] call(Tensor... in) {
        checkInputs(in);
        if (split != null) {
            try {
                return callSplit(in);
            } catch (OnnxException e) {
                throw e;
            } catch (IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException e) {
                throw new OnnxException(file.where() + ": running the model failed: " + e.getMessage(), e);
            }
        }
        if (eager) {
            Object[] out = callValues((Object[]) in);
            Tensor[] tensors = new Tensor[out.length];
            for (int i = 0; i < out.length; i++) {
                if (!(out[i] instanceof Tensor t)) throw new OnnxException(file.where() + ": output '" + outputs.get(i).name() + "' is a " + ValueGraph.kind(out[i]) + "; use callValues");
                tensors[i] = t;
            }
            return tensors;
        }
        Bound b = bind(in);
        try {
            return b.fn().call(b.inputs());
        } catch (OnnxException e) {
            throw e;
        } catch (IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException e) {
            // Data the graph cannot run on (an index out of range, a shape a value input sets wrongly) reaches the
            // engine's own checks: the model's or the caller's fault. Anything else is a bug and propagates as is.
            throw new OnnxException(file.where() + ": running the model failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the model on values in the graph's order: tensors, {@link OnnxStrings}, {@link
     * OnnxSequence}s and {@link OnnxOptional}s, as the inputs are declared; returns the outputs
     * likewise. Models with strings, sequences or optionals run eagerly; others go through {@link #call}.
     */
    public Object[] callValues(Object... in) {
        if (in.length != inputs.size()) throw new OnnxException(file.where() + ": the model takes " + inputs.size() + " inputs " + inputs + ", got " + in.length);
        if (!eager || split != null) {
            Tensor[] tensors = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) {
                if (!(in[i] instanceof Tensor t)) throw new OnnxException(file.where() + ": input '" + inputs.get(i).name() + "' must be a tensor, got " + ValueGraph.kind(in[i]));
                tensors[i] = t;
            }
            return call(tensors);
        }
        Map<String, Object> env = new HashMap<>(initializers);
        for (int i = 0; i < in.length; i++) {
            ValueInfo v = inputs.get(i);
            Object o = in[i];
            boolean fits = switch (v.kind()) {
                case TENSOR -> o instanceof Tensor;
                case STRINGS -> o instanceof OnnxStrings;
                case SEQUENCE -> o instanceof OnnxSequence;
                case OPTIONAL -> o instanceof OnnxOptional;
            };
            if (!fits) throw new OnnxException(file.where() + ": input '" + v.name() + "' must be a " + v.kind().name().toLowerCase() + ", got " + ValueGraph.kind(o));
            env.put(v.name(), o);
        }
        Tensor[] tensors = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) if (in[i] instanceof Tensor t) tensors[i] = t;
        checkInputs(tensors);
        try {
            ValueGraph.run(nodes, env, opset, file.declaredTypes());
        } catch (OnnxException e) {
            throw e;
        } catch (IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException e) {
            throw new OnnxException(file.where() + ": running the model failed: " + e.getMessage(), e);
        }
        Object[] out = new Object[outputs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = env.get(outputs.get(i).name());
            if (out[i] == null) throw new OnnxException(file.where() + ": output '" + outputs.get(i).name() + "' is not defined");
        }
        return out;
    }

    /** The optimised compiler graph these inputs run through (for inspection and tests); of a split model, its compiled part's. */
    public Graph graphFor(Tensor... in) {
        checkInputs(in);
        if (split != null) return compiledPart.graphFor(in);
        if (eager) throw new UnsupportedOnnxException(file.where() + ": the model runs eagerly (it uses sequences, optionals or " + DataDependentKernels.OPS + ", whose output shapes depend on data), so it has no compiled graph");
        Bound b = bind(in);
        return b.fn().graphFor(b.inputs());
    }

    private void checkInputs(Tensor[] in) {
        if (in.length != inputs.size()) throw new OnnxException(file.where() + ": the model takes " + inputs.size() + " inputs " + inputs + ", got " + in.length);
        Map<String, Integer> symbols = new HashMap<>();
        for (int i = 0; i < in.length; i++) {
            ValueInfo v = inputs.get(i);
            Tensor t = in[i];
            if (t == null && v.kind() != ValueInfo.Kind.TENSOR) continue; // strings, a sequence or an optional, checked by callValues
            String w = file.where() + ": input '" + v.name() + "'";
            if (v.dtype() != null && t.dtype() != v.dtype()) throw new OnnxException(w + " must be " + ElementTypes.name(v.elemType()) + " (" + v.dtype() + "), got " + t.dtype());
            if (v.shape() == null) continue;
            if (t.dim() != v.shape().size()) throw new OnnxException(w + " must have rank " + v.shape().size() + " " + v.shape() + ", got " + t.describe());
            for (int d = 0; d < t.dim(); d++) {
                ValueInfo.Dim dim = v.shape().get(d);
                int size = t.shape()[d];
                if (dim.fixed() && dim.size() != size) throw new OnnxException(w + " dimension " + d + " must be " + dim.size() + ", got " + t.describe());
                if (dim.param() != null) {
                    Integer before = symbols.putIfAbsent(dim.param(), size);
                    if (before != null && before != size) {
                        throw new OnnxException(w + " dimension " + d + " ('" + dim.param() + "') is " + size + ", but another input set '" + dim.param() + "' to " + before);
                    }
                }
            }
        }
    }
}
