package org.sinter.onnx;

import java.util.List;
import org.sinter.Tensor;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.ModelProto;
import org.sinter.onnx.proto.Onnx.NodeProto;
import org.sinter.onnx.proto.Onnx.OperatorSetIdProto;
import org.sinter.onnx.proto.Onnx.TensorProto;
import org.sinter.onnx.proto.Onnx.TensorShapeProto;
import org.sinter.onnx.proto.Onnx.TypeProto;
import org.sinter.onnx.proto.Onnx.ValueInfoProto;

/** Builds small ONNX models with the generated protobuf builders, for tests. */
final class TestModels {
    private TestModels() {}

    /** A float tensor value; dims are sizes, or names (dim_param) given as strings. */
    static ValueInfoProto value(String name, Object... dims) {
        return typed(name, TensorProto.DataType.FLOAT_VALUE, dims);
    }

    static ValueInfoProto typed(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String s) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(s));
            else shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }

    static NodeProto node(String name, String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        return NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs).addAllOutput(outputs).addAllAttribute(List.of(attrs)).build();
    }

    static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) b.addInts(x);
        return b.build();
    }

    static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static TensorProto tensor(String name, Tensor t) {
        return TensorProtos.fromTensor(name, t);
    }

    static ModelProto model(GraphProto graph, int opset) {
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph).build();
    }

    /** y = relu(x · W^T + b) with x [batch, 4] → y [batch, 3]; W and b as initializers. */
    static ModelProto linearRelu(Tensor w, Tensor b) {
        GraphProto g = GraphProto.newBuilder().setName("linear_relu")
                .addInput(value("x", "batch", 4)).addOutput(value("y", "batch", 3))
                .addInitializer(tensor("W", w)).addInitializer(tensor("b", b))
                .addNode(node("gemm", "Gemm", List.of("x", "W", "b"), List.of("h"), intAttr("transB", 1)))
                .addNode(node("relu", "Relu", List.of("h"), List.of("y")))
                .build();
        return model(g, 13);
    }
}
