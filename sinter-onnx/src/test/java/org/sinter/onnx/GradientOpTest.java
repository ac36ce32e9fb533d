package org.sinter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sinter.onnx.TestModels.node;
import static org.sinter.onnx.TestModels.typed;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.onnx.ops.OpRegistry;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.ModelProto;
import org.sinter.onnx.proto.Onnx.OperatorSetIdProto;
import org.sinter.onnx.proto.Onnx.TensorProto;

/** {@code ai.onnx.preview.training.Gradient} against float64 finite differences of the same model's outputs. */
class GradientOpTest {
    private static final int F64 = TensorProto.DataType.DOUBLE_VALUE;

    private static AttributeProto strings(String name, String... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
        for (String s : v) b.addStrings(com.google.protobuf.ByteString.copyFromUtf8(s));
        return b.build();
    }

    private static AttributeProto string(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }

    private static org.sinter.onnx.proto.Onnx.NodeProto gradient(String name, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        return node(name, "Gradient", inputs, outputs, attrs).toBuilder().setDomain(OpRegistry.TRAINING_DOMAIN).build();
    }

    /**
     * s = sum(tanh(x·W + z)), y = s·s, with W an initializer; Gradient(xs=[x], zs=[z], y) and
     * Gradient(xs=[x, z], y=u) of the non-scalar u = tanh(...) (seeded with ones: the gradient of s).
     */
    private static ModelProto model(String y1) {
        Tensor w = Tensor.randn(3, 4).to(DType.FLOAT64);
        GraphProto g = GraphProto.newBuilder().setName("gradient_test")
                .addInput(typed("x", F64, 2, 3)).addInput(typed("z", F64, 4))
                .addInitializer(TestModels.tensor("W", w))
                .addNode(node("mm", "MatMul", List.of("x", "W"), List.of("h")))
                .addNode(node("add", "Add", List.of("h", "z"), List.of("t")))
                .addNode(node("tanh", "Tanh", List.of("t"), List.of("u")))
                .addNode(node("sum", "ReduceSum", List.of("u"), List.of("s"), TestModels.intAttr("keepdims", 0)))
                .addNode(node("square", "Mul", List.of("s", "s"), List.of("y")))
                .addNode(gradient("grad_y", List.of("x", "z"), List.of("dy_dx"), strings("xs", "x"), strings("zs", "z"), string("y", y1)))
                .addNode(gradient("grad_u", List.of("x", "z"), List.of("du_dx", "du_dz"), strings("xs", "x", "z"), string("y", "u")))
                .addOutput(typed("y", F64)).addOutput(typed("s", F64))
                .addOutput(typed("dy_dx", F64, 2, 3)).addOutput(typed("du_dx", F64, 2, 3)).addOutput(typed("du_dz", F64, 4))
                .build();
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(OpRegistry.TRAINING_DOMAIN).setVersion(1))
                .setGraph(g).build();
    }

    /** Central differences of the scalar {@code f} at {@code at}, element by element. */
    private static double[] numeric(Function<Tensor, Double> f, Tensor at) {
        double[] base = at.toDoubleArray();
        double[] d = new double[base.length];
        double eps = 1e-6;
        for (int i = 0; i < base.length; i++) {
            double[] plus = base.clone(), minus = base.clone();
            plus[i] += eps;
            minus[i] -= eps;
            d[i] = (f.apply(Tensor.of(plus, at.shape())) - f.apply(Tensor.of(minus, at.shape()))) / (2 * eps);
        }
        return d;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), what + " element " + i);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesCompiled() {
        check(CompileOptions.defaults().withFrozenParameters());
    }

    @Test
    void gradientsMatchFiniteDifferencesWithoutFusion() {
        check(CompileOptions.defaults().withFusion(false));
    }

    private static void check(CompileOptions options) {
        OnnxModel m = OnnxModel.load(model("y").toByteArray(), "gradient_test", options);
        Tensor x = Tensor.randn(2, 3).to(DType.FLOAT64), z = Tensor.randn(4).to(DType.FLOAT64);
        Map<String, Tensor> out = m.run(Map.of("x", x, "z", z));
        assertClose(numeric(v -> m.run(Map.of("x", v, "z", z)).get("y").item(), x), out.get("dy_dx").toDoubleArray(), "dy/dx");
        assertClose(numeric(v -> m.run(Map.of("x", v, "z", z)).get("s").item(), x), out.get("du_dx").toDoubleArray(), "d sum(u)/dx");
        assertClose(numeric(v -> m.run(Map.of("x", x, "z", v)).get("s").item(), z), out.get("du_dz").toDoubleArray(), "d sum(u)/dz");
    }

    @Test
    void aValueNotOnThePathGetsZeros() {
        // y = x's own value: d x / d x is the seed (ones); z is held fixed and x does not depend on it.
        OnnxModel m = OnnxModel.load(model("x").toByteArray(), "gradient_test", CompileOptions.defaults());
        Tensor x = Tensor.randn(2, 3).to(DType.FLOAT64);
        Tensor g = m.run(Map.of("x", x, "z", Tensor.randn(4).to(DType.FLOAT64))).get("dy_dx");
        assertClose(Tensor.ones(DType.FLOAT64, 2, 3).toDoubleArray(), g.toDoubleArray(), "dx/dx");
    }

    @Test
    void anUnknownTargetIsAClearError() {
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxModel.load(model("nope").toByteArray(), "gradient_test", CompileOptions.defaults()));
        assertTrue(e.getMessage().contains("node 'grad_y' (Gradient") && e.getMessage().contains("y 'nope' is not computed by any node"), e.getMessage());
    }
}
