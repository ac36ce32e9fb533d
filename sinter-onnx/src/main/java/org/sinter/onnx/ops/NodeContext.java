package org.sinter.onnx.ops;

import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.onnx.OnnxException;
import org.sinter.onnx.TensorProtos;
import org.sinter.onnx.UnsupportedOnnxException;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.NodeProto;

/**
 * What an operator's kernel sees of one node: its input tensors (an empty name is an omitted
 * optional input), its attributes with the specification's defaults, and the opset it runs under.
 * Every error it raises names the node, its op type and opset.
 */
public final class NodeContext {
    private final NodeProto node;
    private final Tensor[] inputs;
    private final Map<String, AttributeProto> attributes;
    private final int opset;
    private final Map<String, Integer> declaredTypes;
    /** The values visible where the node runs (for sub-graphs, which read their enclosing graphs by name); null when not needed. */
    private final Map<String, Tensor> scope;

    public NodeContext(NodeProto node, Tensor[] inputs, Map<String, AttributeProto> attributes, int opset, Map<String, Integer> declaredTypes) {
        this(node, inputs, attributes, opset, declaredTypes, null);
    }

    public NodeContext(NodeProto node, Tensor[] inputs, Map<String, AttributeProto> attributes, int opset, Map<String, Integer> declaredTypes,
                       Map<String, Tensor> scope) {
        this.node = node;
        this.inputs = inputs;
        this.attributes = attributes;
        this.opset = opset;
        this.declaredTypes = declaredTypes;
        this.scope = scope;
    }

    /** The values of the enclosing graph, by name (what a sub-graph may read). */
    public Map<String, Tensor> scope() {
        if (scope == null) throw new IllegalStateException(describe() + ": no enclosing scope");
        return scope;
    }

    public Map<String, Integer> declaredTypes() { return declaredTypes; }

    /** A GRAPH attribute (a branch or loop body), or an error naming it when absent. */
    public org.sinter.onnx.proto.Onnx.GraphProto attrGraph(String name) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.GRAPH);
        if (a == null) throw error("attribute '" + name + "' (a graph) is required");
        return a.getG();
    }

    /**
     * The ONNX element type the model declares for input {@code i} (0 when it declares none):
     * what tells uint8 from int8 once both are held as int32.
     */
    public int onnxType(int i) {
        if (!has(i)) return 0;
        return declaredTypes.getOrDefault(node.getInput(i), 0);
    }

    public int opset() { return opset; }

    public String opType() { return node.getOpType(); }

    /** "node 'conv1' (Conv, opset 13)": how errors name this node. */
    public String describe() {
        return "node '" + node.getName() + "' (" + node.getOpType() + ", opset " + opset + ")";
    }

    public OnnxException error(String what) {
        return new OnnxException(describe() + ": " + what);
    }

    public UnsupportedOnnxException unsupported(String what) {
        return new UnsupportedOnnxException(describe() + ": " + what + " is not supported");
    }

    public int inputCount() { return inputs.length; }

    public int outputCount() { return node.getOutputCount(); }

    /** The name of output {@code i} (empty: the model does not read it). */
    public String getOutputName(int i) { return node.getOutput(i); }

    /** Whether optional input {@code i} is given. */
    public boolean has(int i) { return i < inputs.length && inputs[i] != null; }

    public Tensor in(int i) {
        if (!has(i)) throw error("input " + i + " is required but missing");
        return inputs[i];
    }

    /** Inputs {@code from}.. (variadic operators such as Concat, Sum). */
    public List<Tensor> inputsFrom(int from) {
        List<Tensor> out = new java.util.ArrayList<>();
        for (int i = from; i < inputs.length; i++) out.add(in(i));
        return out;
    }

    /**
     * The values of input {@code i}, which must be known when the graph is built: an initializer,
     * a Constant, or computed from those and from shapes. Sinter compiles static-shape graphs, so a
     * shape, axes or pads input computed from run-time data is refused here, by name.
     */
    public long[] constLongs(int i, String what) {
        Tensor t = in(i);
        if (t.isMeta()) {
            throw new UnsupportedOnnxException(describe() + ": input " + i + " (" + what + ") is computed from run-time data; Sinter needs it "
                    + "known when the model is compiled (an initializer, a Constant, or computed from shapes)");
        }
        if (t.isFloatingPoint()) throw error("input " + i + " (" + what + ") must be an integer tensor, got " + t.dtype());
        return t.toLongArray();
    }

    public double[] constDoubles(int i, String what) {
        Tensor t = in(i);
        if (t.isMeta()) {
            throw new UnsupportedOnnxException(describe() + ": input " + i + " (" + what + ") is computed from run-time data; Sinter needs it "
                    + "known when the model is compiled");
        }
        return t.toDoubleArray();
    }

    public boolean hasAttr(String name) { return attributes.containsKey(name); }

    private AttributeProto attr(String name, AttributeProto.AttributeType type) {
        AttributeProto a = attributes.get(name);
        if (a == null) return null;
        if (a.getType() != type && a.getType() != AttributeProto.AttributeType.UNDEFINED) {
            throw error("attribute '" + name + "' must be " + type + ", got " + a.getType());
        }
        return a;
    }

    public long attrInt(String name, long dflt) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.INT);
        return a == null ? dflt : a.getI();
    }

    public float attrFloat(String name, float dflt) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.FLOAT);
        return a == null ? dflt : a.getF();
    }

    public String attrString(String name, String dflt) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.STRING);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    /** An INTS attribute, or {@code dflt} (may be null) when absent. */
    public long[] attrInts(String name, long[] dflt) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.INTS);
        if (a == null) return dflt;
        return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    public List<String> attrStrings(String name) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.STRINGS);
        if (a == null) return List.of();
        return a.getStringsList().stream().map(com.google.protobuf.ByteString::toStringUtf8).toList();
    }

    public float[] attrFloats(String name, float[] dflt) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.FLOATS);
        if (a == null) return dflt;
        float[] out = new float[a.getFloatsCount()];
        for (int i = 0; i < out.length; i++) out[i] = a.getFloats(i);
        return out;
    }

    public Tensor attrTensor(String name) {
        AttributeProto a = attr(name, AttributeProto.AttributeType.TENSOR);
        return a == null ? null : TensorProtos.toTensor(a.getT(), null, describe() + " attribute '" + name + "'");
    }

    /** Normalises axis {@code a} (negative counts from the end) for a tensor of {@code rank}, with a clear error. */
    public int axis(long a, int rank) {
        if (a < -rank || a >= Math.max(rank, 1) && !(rank == 0 && a == 0)) {
            throw error("axis " + a + " is out of range for a tensor of rank " + rank);
        }
        return (int) (a < 0 ? a + rank : a);
    }

    public static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v[i]));
        return out;
    }
}
