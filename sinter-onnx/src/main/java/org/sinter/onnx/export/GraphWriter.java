package org.sinter.onnx.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.onnx.ElementTypes;
import org.sinter.onnx.TensorProtos;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.AttributeProto.AttributeType;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.NodeProto;
import org.sinter.onnx.proto.Onnx.TensorProto;
import org.sinter.onnx.proto.Onnx.TensorShapeProto;
import org.sinter.onnx.proto.Onnx.TypeProto;
import org.sinter.onnx.proto.Onnx.ValueInfoProto;
import org.sinter.ops.TensorSpec;

/**
 * Builds one ONNX graph (the main graph or a control-flow body): fresh value names, nodes with
 * their attributes, and initializers. The op lowering speaks to it in ONNX's terms only; what a
 * compiler value is called lives in {@link OpLowering}.
 */
final class GraphWriter {
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final String prefix;
    private final Map<String, Integer> counters = new HashMap<>();
    private final java.util.Set<String> taken = new java.util.HashSet<>();

    /** {@code prefix} keeps the names of a body graph apart from its parent's (ONNX scopes are nested, names must not shadow). */
    GraphWriter(String name, String prefix) {
        graph.setName(name);
        this.prefix = prefix;
    }

    GraphProto.Builder proto() { return graph; }

    /** A name no other value of this graph has, from {@code hint}. */
    String fresh(String hint) {
        String base = prefix + hint;
        int n = counters.merge(base, 1, Integer::sum) - 1;
        String name = n == 0 ? base : base + "_" + n;
        while (!taken.add(name)) name = base + "_" + counters.merge(base, 1, Integer::sum);
        return name;
    }

    /** Claims a name chosen by the user (inputs, outputs, parameter paths); fails on a clash. */
    String claim(String name) {
        if (!taken.add(name)) throw new IllegalArgumentException("onnx export: the name '" + name + "' is used twice");
        return name;
    }

    /** A node of {@code opType} with {@code outputs} fresh outputs; returns their names. */
    String[] node(String opType, List<String> inputs, int outputs, AttributeProto... attributes) {
        String[] outs = new String[outputs];
        for (int i = 0; i < outputs; i++) outs[i] = fresh(opType.toLowerCase());
        nodeInto(opType, inputs, List.of(outs), attributes);
        return outs;
    }

    /** A node with one fresh output. */
    String node1(String opType, List<String> inputs, AttributeProto... attributes) {
        return node(opType, inputs, 1, attributes)[0];
    }

    String node1(String opType, String input, AttributeProto... attributes) {
        return node1(opType, List.of(input), attributes);
    }

    /** A node writing named outputs (a graph output, or a name given by the caller). */
    void nodeInto(String opType, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(fresh("/" + opType));
        n.addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
    }

    /** An initializer under a fresh name from {@code hint}. */
    String initializer(String hint, Tensor value) {
        String name = fresh(hint);
        graph.addInitializer(TensorProtos.fromTensor(name, value));
        return name;
    }

    /** An initializer under a given (claimed) name. */
    void initializerNamed(String name, Tensor value) {
        graph.addInitializer(TensorProtos.fromTensor(name, value));
    }

    /** A 1-D int64 initializer (shapes, axes, pads, slice bounds). */
    String ints(long... values) {
        return raw("ints", new int[] {values.length}, TensorProto.DataType.INT64_VALUE, b -> { for (long v : values) b.putLong(v); }, 8 * values.length);
    }

    String ints(int... values) {
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) l[i] = values[i];
        return ints(l);
    }

    /** A 0-d initializer of {@code dtype} holding {@code value} (converted as a cast would). */
    String scalar(double value, DType dtype) {
        return initializer("c", Tensor.scalar(value).to(dtype));
    }

    /** A 0-d int8 or uint8 initializer: zero points of the quantization ops, whose type decides the quantized type. */
    String byteScalar(int value, boolean unsigned) {
        int code = unsigned ? TensorProto.DataType.UINT8_VALUE : TensorProto.DataType.INT8_VALUE;
        return raw("zero_point", new int[0], code, b -> b.put((byte) value), 1);
    }

    /** A byte-typed (int8/uint8) initializer of any shape, for zero points per channel. */
    String byteTensor(int[] shape, int[] values, boolean unsigned) {
        int code = unsigned ? TensorProto.DataType.UINT8_VALUE : TensorProto.DataType.INT8_VALUE;
        return raw("zero_point", shape, code, b -> { for (int v : values) b.put((byte) v); }, values.length);
    }

    private String raw(String hint, int[] shape, int code, java.util.function.Consumer<ByteBuffer> fill, int bytes) {
        String name = fresh(hint);
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(code).setRawData(com.google.protobuf.ByteString.copyFrom(b.array()));
        for (int s : shape) t.addDims(s);
        graph.addInitializer(t);
        return name;
    }

    String cast(String input, DType to) {
        return node1("Cast", input, attr("to", ElementTypes.code(to)));
    }

    /** A value's declared type: element type and shape, {@code dynamic[i]} naming dimension i {@code batch}. */
    static ValueInfoProto info(String name, TensorSpec spec, boolean[] dynamic) {
        String[] params = new String[dynamic.length];
        for (int i = 0; i < params.length; i++) if (dynamic[i]) params[i] = i == 0 ? "batch" : "batch_" + i;
        return info(name, spec, params);
    }

    /** A tensor value whose dimension i is named {@code params[i]} (dim_param), or fixed where that is null. */
    static ValueInfoProto info(String name, TensorSpec spec, String[] params) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        int[] dims = spec.shape();
        for (int i = 0; i < dims.length; i++) {
            shape.addDim(params[i] != null ? TensorShapeProto.Dimension.newBuilder().setDimParam(params[i])
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(dims[i]));
        }
        TypeProto.Tensor t = TypeProto.Tensor.newBuilder().setElemType(ElementTypes.code(spec.dtype())).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    static ValueInfoProto info(String name, TensorSpec spec) {
        return info(name, spec, new boolean[spec.shape().length]);
    }

    static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
    }

    static AttributeProto attr(String name, double value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF((float) value).build();
    }

    static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    static AttributeProto attr(String name, int[] values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (int v : values) a.addInts(v);
        return a.build();
    }

    static AttributeProto attr(String name, GraphProto body) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.GRAPH).setG(body).build();
    }

    static List<String> list(String... names) {
        return new ArrayList<>(List.of(names));
    }
}
