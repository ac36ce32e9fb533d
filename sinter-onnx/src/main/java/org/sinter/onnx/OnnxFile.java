package org.sinter.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.onnx.ops.OpRegistry;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.ModelProto;
import org.sinter.onnx.proto.Onnx.NodeProto;
import org.sinter.onnx.proto.Onnx.OperatorSetIdProto;
import org.sinter.onnx.proto.Onnx.TensorProto;
import org.sinter.onnx.proto.Onnx.TensorShapeProto;
import org.sinter.onnx.proto.Onnx.TypeProto;
import org.sinter.onnx.proto.Onnx.ValueInfoProto;

/**
 * A parsed and structurally checked {@code .onnx} file: the protobuf decoded by the classes protoc
 * generated from {@code onnx.proto}, the graph's names and order checked ({@link GraphChecker}),
 * its declared inputs and outputs, opsets and what it needs that Sinter lacks. It runs nothing;
 * {@link OnnxModel} compiles it.
 */
public final class OnnxFile {
    /**
     * The opsets of the default domain Sinter reads: 7 to 21 are the target; older files load too,
     * with the operators' old forms where they differ (attributes that became inputs, the legacy
     * broadcast attribute).
     */
    public static final int MIN_OPSET = 1;
    public static final int MAX_OPSET = 21;
    /** Protobuf's own limit on one message; larger models keep their weights in external data files. */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE;

    private final String where;
    private final Path baseDir;
    private final ModelProto model;
    private final List<NodeProto> sorted;

    private OnnxFile(String where, Path baseDir, ModelProto model) {
        this.where = where;
        this.baseDir = baseDir;
        ModelProto inlined = FunctionInliner.inline(model, where);
        if (!inlined.hasGraph()) throw new OnnxException(where + ": the model has no graph");
        this.model = inlined.toBuilder().setGraph(subgraphDataInlined(inlined.getGraph(), baseDir, where, false)).build();
        this.sorted = GraphChecker.sortedNodes(this.model.getGraph(), where);
        inputs(); // checks the declared shapes
        outputs();
    }

    /**
     * {@code g} with the external data of its sub-graphs' initializers (branches, loop bodies, at
     * any depth) read in; the main graph's ({@code inner} false) stay external, read when used.
     */
    private static GraphProto subgraphDataInlined(GraphProto g, Path baseDir, String where, boolean inner) {
        GraphProto.Builder b = null;
        if (inner) {
            for (int i = 0; i < g.getInitializerCount(); i++) {
                TensorProto t = g.getInitializer(i);
                if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) continue;
                if (b == null) b = g.toBuilder();
                b.setInitializer(i, TensorProtos.inlined(t, baseDir, where + ": sub-graph '" + g.getName() + "' initializer '" + t.getName() + "'"));
            }
        }
        for (int k = 0; k < g.getNodeCount(); k++) {
            NodeProto n = g.getNode(k);
            for (int a = 0; a < n.getAttributeCount(); a++) {
                AttributeProto attr = n.getAttribute(a);
                if (!attr.hasG() && attr.getGraphsCount() == 0) continue;
                AttributeProto.Builder ab = attr.toBuilder();
                if (attr.hasG()) ab.setG(subgraphDataInlined(attr.getG(), baseDir, where, true));
                for (int j = 0; j < attr.getGraphsCount(); j++) ab.setGraphs(j, subgraphDataInlined(attr.getGraphs(j), baseDir, where, true));
                if (b == null) b = g.toBuilder();
                b.getNodeBuilder(k).setAttribute(a, ab);
            }
        }
        return b == null ? g : b.build();
    }

    public static OnnxFile read(Path path) {
        try {
            long size = Files.size(path);
            if (size > MAX_FILE_BYTES) throw new OnnxException(path + ": " + size + " bytes; a model file over 2 GiB must keep its weights in external data");
            return parse(Files.readAllBytes(path), path.toAbsolutePath().getParent(), path.toString());
        } catch (NoSuchFileException e) {
            throw new OnnxException(path + ": no such file");
        } catch (IOException e) {
            throw new OnnxException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses a model held in memory; {@code baseDir} resolves external data (null: none allowed), {@code where} names it in errors. */
    public static OnnxFile parse(byte[] bytes, Path baseDir, String where) {
        ModelProto m;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(64); // sub-graphs nest; a deeper file is hostile, not a model
            m = ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxException(where + ": not a valid ONNX protobuf (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new OnnxException(where + ": cannot parse: " + e.getMessage(), e);
        }
        return new OnnxFile(where, baseDir, m);
    }

    public String where() { return where; }

    public ModelProto proto() { return model; }

    public GraphProto graph() { return model.getGraph(); }

    /** The nodes, each after the producers of its inputs. */
    public List<NodeProto> nodes() { return sorted; }

    /** Operator set versions by domain ("" is the default domain). */
    public Map<String, Long> opsets() {
        Map<String, Long> out = new TreeMap<>();
        for (OperatorSetIdProto o : model.getOpsetImportList()) out.put(o.getDomain().equals("ai.onnx") ? "" : o.getDomain(), o.getVersion());
        return out;
    }

    /** The default domain's opset; an error when the model imports none or one outside 7..21. */
    public int opset() {
        Long v = opsets().get("");
        if (v == null) {
            // A graph of other domains' operators only (ONNX's training operators) reads no default-domain opset.
            if (!sorted.isEmpty() && sorted.stream().noneMatch(n -> n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx"))) return MAX_OPSET;
            throw new UnsupportedOnnxException(where + ": the model imports no opset of the default ONNX domain");
        }
        if (v < MIN_OPSET || v > MAX_OPSET) throw new UnsupportedOnnxException(where + ": opset " + v + " of the default domain is not supported (Sinter reads " + MIN_OPSET + " to " + MAX_OPSET + ")");
        return (int) (long) v;
    }

    /** Initializer names (constants, even when also listed as graph inputs). */
    private java.util.Set<String> initializerNames() {
        java.util.Set<String> s = new java.util.HashSet<>();
        for (TensorProto t : graph().getInitializerList()) s.add(t.getName());
        return s;
    }

    /** The inputs a caller must feed: graph inputs without an initializer. */
    public List<ValueInfo> inputs() {
        var init = initializerNames();
        List<ValueInfo> out = new ArrayList<>();
        for (ValueInfoProto v : graph().getInputList()) if (!init.contains(v.getName())) out.add(info(v, "graph input"));
        return out;
    }

    public List<ValueInfo> outputs() {
        List<ValueInfo> out = new ArrayList<>();
        for (ValueInfoProto v : graph().getOutputList()) out.add(info(v, "graph output"));
        return out;
    }

    private ValueInfo info(ValueInfoProto v, String kind) {
        String w = where + ": " + kind + " '" + v.getName() + "'";
        TypeProto t = v.getType();
        if (t.hasSequenceType()) return new ValueInfo(v.getName(), 0, null, null, ValueInfo.Kind.SEQUENCE);
        if (t.hasOptionalType()) return new ValueInfo(v.getName(), 0, null, null, ValueInfo.Kind.OPTIONAL);
        if (v.hasType() && !t.hasTensorType()) throw new UnsupportedOnnxException(w + ": only tensor, sequence and optional values are supported, got " + t.getValueCase());
        int elem = t.getTensorType().getElemType();
        boolean strings = elem == org.sinter.onnx.proto.Onnx.TensorProto.DataType.STRING_VALUE;
        DType dtype = elem == 0 || strings ? null : ElementTypes.dtype(elem, w);
        List<ValueInfo.Dim> shape = null;
        if (t.getTensorType().hasShape()) {
            shape = new ArrayList<>();
            for (TensorShapeProto.Dimension d : t.getTensorType().getShape().getDimList()) {
                if (d.hasDimValue()) {
                    long s = d.getDimValue();
                    if (s < 0 || s > TensorProtos.MAX_ELEMENTS) throw new OnnxException(w + ": dimension " + shape.size() + " is " + s + ", outside 0..2^31-17");
                    shape.add(new ValueInfo.Dim(s, null));
                } else {
                    shape.add(new ValueInfo.Dim(-1, d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : null));
                }
            }
        }
        return new ValueInfo(v.getName(), elem, dtype, shape, strings ? ValueInfo.Kind.STRINGS : ValueInfo.Kind.TENSOR);
    }

    /** Decodes the initializers, checking each against the input that declares it, if any. */
    public Map<String, Tensor> initializers() {
        Map<String, ValueInfoProto> declared = new LinkedHashMap<>();
        for (ValueInfoProto v : graph().getInputList()) declared.put(v.getName(), v);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorProto t : graph().getInitializerList()) {
            Tensor value = TensorProtos.toTensor(t, baseDir, where + ": initializer '" + t.getName() + "'");
            ValueInfoProto d = declared.get(t.getName());
            if (d != null && d.getType().hasTensorType()) {
                var tt = d.getType().getTensorType();
                if (tt.getElemType() != 0 && tt.getElemType() != t.getDataType()) {
                    throw new OnnxException(where + ": initializer '" + t.getName() + "' is " + ElementTypes.name(t.getDataType()) + " but its graph input declares "
                            + ElementTypes.name(tt.getElemType()));
                }
                if (tt.hasShape()) {
                    var dims = tt.getShape().getDimList();
                    boolean ok = dims.size() == t.getDimsCount();
                    for (int i = 0; ok && i < dims.size(); i++) ok = !dims.get(i).hasDimValue() || dims.get(i).getDimValue() == t.getDims(i);
                    if (!ok) {
                        throw new OnnxException(where + ": initializer '" + t.getName() + "' has dims " + t.getDimsList() + " but its graph input declares "
                                + dims.stream().map(x -> x.hasDimValue() ? Long.toString(x.getDimValue()) : x.getDimParam()).toList());
                    }
                }
            }
            out.put(t.getName(), value);
        }
        if (graph().getSparseInitializerCount() > 0) throw new UnsupportedOnnxException(where + ": sparse initializers are not supported");
        return out;
    }

    /** The ONNX element type declared for each value that has one (inputs, outputs, value_info, initializers, Constant outputs). */
    public Map<String, Integer> declaredTypes() {
        Map<String, Integer> out = new java.util.HashMap<>();
        GraphProto g = graph();
        for (var list : List.of(g.getInputList(), g.getOutputList(), g.getValueInfoList())) {
            for (ValueInfoProto v : list) if (v.getType().hasTensorType()) out.put(v.getName(), v.getType().getTensorType().getElemType());
        }
        for (TensorProto t : g.getInitializerList()) out.put(t.getName(), t.getDataType());
        for (NodeProto n : g.getNodeList()) {
            if (!n.getOpType().equals("Constant") || n.getOutputCount() == 0) continue;
            for (AttributeProto a : n.getAttributeList()) if (a.getName().equals("value")) out.put(n.getOutput(0), a.getT().getDataType());
        }
        return out;
    }

    /** How many times each operator appears (domain-qualified when not the default domain). */
    public Map<String, Integer> opHistogram() {
        Map<String, Integer> h = new TreeMap<>();
        for (NodeProto n : sorted) h.merge(qualified(n), 1, Integer::sum);
        return h;
    }

    static String qualified(NodeProto n) {
        return n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? n.getOpType() : n.getDomain() + "." + n.getOpType();
    }

    /** Elements in all initializers (the model's parameters), from their dims alone. */
    public long parameterCount() {
        long total = 0;
        for (TensorProto t : graph().getInitializerList()) {
            long n = 1;
            for (long d : t.getDimsList()) n *= d;
            total += n;
        }
        return total;
    }

    /**
     * What Sinter lacks to run this model: the opset, each unsupported operator or attribute, by
     * node. Empty when every node is supported.
     */
    public List<String> unsupported(OpRegistry registry) {
        List<String> out = new ArrayList<>();
        int opset;
        try {
            opset = opset();
        } catch (OnnxException e) {
            out.add(e.getMessage());
            opset = -1;
        }
        check(sorted, opset, registry, out);
        return out;
    }

    /** Checks {@code nodes} and the nodes of their sub-graphs (branches, loop bodies). */
    private static void check(List<NodeProto> nodes, int opset, OpRegistry registry, List<String> out) {
        for (NodeProto n : nodes) {
            String name = "node '" + n.getName() + "' (" + qualified(n) + ", opset " + opset + ")";
            if (!OpRegistry.knownDomain(n.getDomain())) {
                out.add(name + ": operators of domain '" + n.getDomain() + "' are not supported");
                continue;
            }
            OpRegistry.OpDef def = registry.get(n.getDomain(), n.getOpType());
            if (def == null) {
                out.add(name + ": operator " + qualified(n) + " is not supported");
                continue;
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals("consumed_inputs")) continue; // opsets 1-5: an in-place hint, without meaning for the result
                if (!def.attributes().contains(a.getName())) out.add(name + ": attribute '" + a.getName() + "' is not supported");
                if (!a.getRefAttrName().isEmpty()) out.add(name + ": attribute '" + a.getName() + "' refers to a function attribute, which is not supported");
                if (a.hasG()) check(a.getG().getNodeList(), opset, registry, out);
            }
        }
    }
}
