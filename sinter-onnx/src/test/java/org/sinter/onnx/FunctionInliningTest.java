package org.sinter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sinter.onnx.TestModels.node;
import static org.sinter.onnx.TestModels.value;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.FunctionProto;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.ModelProto;
import org.sinter.onnx.proto.Onnx.OperatorSetIdProto;

/** Model-local functions are inlined: formal names renamed, attribute references resolved, nested calls expanded. */
class FunctionInliningTest {
    private static final OperatorSetIdProto LOCAL = OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1).build();

    /** local.ScaledLeaky(x) = LeakyRelu(x * 2, alpha = the call's 'slope', default 0.1); local.Twice(x) = ScaledLeaky(ScaledLeaky(x)). */
    private static ModelProto model(NodeProtoAttr... callAttrs) {
        FunctionProto leaky = FunctionProto.newBuilder().setName("ScaledLeaky").setDomain("local").addInput("x").addOutput("y").addAttribute("slope")
                .addAttributeProto(AttributeProto.newBuilder().setName("slope").setType(AttributeProto.AttributeType.FLOAT).setF(0.1f))
                .addNode(node("two", "Constant", List.of(), List.of("c"), AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                        .setT(TensorProtos.fromTensor("c", Tensor.scalar(2.0).to(org.sinter.DType.FLOAT32))).build()))
                .addNode(node("mul", "Mul", List.of("x", "c"), List.of("h")))
                .addNode(node("act", "LeakyRelu", List.of("h"), List.of("y"),
                        AttributeProto.newBuilder().setName("alpha").setType(AttributeProto.AttributeType.FLOAT).setRefAttrName("slope").build()))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).build();
        FunctionProto twice = FunctionProto.newBuilder().setName("Twice").setDomain("local").addInput("x").addOutput("y")
                .addNode(node("a", "ScaledLeaky", List.of("x"), List.of("h")).toBuilder().setDomain("local").build())
                .addNode(node("b", "ScaledLeaky", List.of("h"), List.of("y")).toBuilder().setDomain("local").build())
                .addOpsetImport(LOCAL).build();
        var call = node("call", "Twice", List.of("x"), List.of("y")).toBuilder().setDomain("local");
        var first = node("first", "ScaledLeaky", List.of("y"), List.of("z")).toBuilder().setDomain("local");
        for (NodeProtoAttr a : callAttrs) first.addAttribute(a.attr());
        GraphProto g = GraphProto.newBuilder().setName("g").addInput(value("x", 2, 3)).addOutput(value("z", 2, 3)).addNode(call).addNode(first).build();
        return TestModels.model(g, 17).toBuilder().addOpsetImport(LOCAL).addFunctions(leaky).addFunctions(twice).build();
    }

    record NodeProtoAttr(AttributeProto attr) {}

    private static Tensor reference(Tensor x, double lastSlope) {
        Tensor y = x;
        for (int i = 0; i < 2; i++) y = leaky(y.mul(2.0), 0.1);
        return leaky(y.mul(2.0), lastSlope);
    }

    private static Tensor leaky(Tensor t, double slope) {
        return t.relu().sub(t.neg().relu().mul(slope));
    }

    @Test
    void callsAreInlinedWithTheirAttributes() {
        Tensor x = Tensor.randn(2, 3);
        OnnxModel defaults = OnnxModel.load(model().toByteArray(), "functions", CompileOptions.defaults());
        assertTrue(defaults.call(x)[0].allclose(reference(x, 0.1), 1e-5, 1e-6), "the function's default slope");
        OnnxModel given = OnnxModel.load(model(new NodeProtoAttr(AttributeProto.newBuilder().setName("slope").setType(AttributeProto.AttributeType.FLOAT)
                .setF(0.5f).build())).toByteArray(), "functions", CompileOptions.defaults());
        assertTrue(given.call(x)[0].allclose(reference(x, 0.5), 1e-5, 1e-6), "the call's slope");
        Map<String, Integer> ops = given.file().opHistogram();
        assertEquals(Map.of("Constant", 3, "LeakyRelu", 3, "Mul", 3), ops, "every call became the function's nodes");
    }

    @Test
    void recursiveFunctionsAreRefused() {
        FunctionProto self = FunctionProto.newBuilder().setName("Self").setDomain("local").addInput("x").addOutput("y")
                .addNode(node("again", "Self", List.of("x"), List.of("y")).toBuilder().setDomain("local").build()).addOpsetImport(LOCAL).build();
        GraphProto g = GraphProto.newBuilder().setName("g").addInput(value("x", 2)).addOutput(value("y", 2))
                .addNode(node("call", "Self", List.of("x"), List.of("y")).toBuilder().setDomain("local")).build();
        ModelProto m = TestModels.model(g, 17).toBuilder().addOpsetImport(LOCAL).addFunctions(self).build();
        var e = assertThrows(OnnxException.class, () -> OnnxFile.parse(m.toByteArray(), null, "self.onnx"));
        assertTrue(e.getMessage().contains("more than 16 deep"), e.getMessage());
    }
}
