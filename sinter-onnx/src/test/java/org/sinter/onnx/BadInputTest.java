package org.sinter.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.ModelProto;
import org.sinter.onnx.proto.Onnx.StringStringEntryProto;
import org.sinter.onnx.proto.Onnx.TensorProto;

/** Malformed and hostile models fail at load time with an OnnxException naming the file, node or field; none hangs or exhausts memory. */
class BadInputTest {
    private static final Tensor W = Tensor.randn(3, 4);
    private static final Tensor B = Tensor.randn(3);

    private static String loadError(ModelProto m) {
        return loadError(m.toByteArray());
    }

    private static String loadError(byte[] bytes) {
        return assertThrows(OnnxException.class, () -> OnnxModel.load(bytes, "bad.onnx", CompileOptions.defaults())).getMessage();
    }

    private static void assertMentions(String msg, String... parts) {
        for (String p : parts) assertTrue(msg.contains(p), "expected '" + p + "' in: " + msg);
    }

    @Test
    void truncatedProtobuf() {
        byte[] good = TestModels.linearRelu(W, B).toByteArray();
        for (int cut : new int[] {1, 7, good.length / 3, good.length / 2, good.length - 3}) {
            byte[] part = java.util.Arrays.copyOf(good, cut);
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                OnnxException e = assertThrows(OnnxException.class, () -> OnnxModel.load(part, "cut.onnx", CompileOptions.defaults()));
                assertMentions(e.getMessage(), "cut.onnx");
            });
        }
    }

    @Test
    void randomBytesAndBitFlipsNeverCrashOtherwise() {
        byte[] good = TestModels.linearRelu(W, B).toByteArray();
        Random r = new Random(11);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 300; i++) {
                byte[] b = good.clone();
                int flips = 1 + r.nextInt(8);
                for (int k = 0; k < flips; k++) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                try {
                    OnnxModel m = OnnxModel.load(b, "fuzz.onnx", CompileOptions.defaults());
                    m.call(Tensor.randn(2, 4)); // a mutation that still loads must run or fail with a clear error
                } catch (OnnxException expected) {
                    // the documented failure
                }
            }
        });
    }

    @Test
    void notAModelAtAll() {
        assertMentions(loadError(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}), "bad.onnx", "not a valid ONNX protobuf");
        assertMentions(loadError(new byte[0]), "bad.onnx", "no graph");
    }

    @Test
    void cycle() {
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 2)).addOutput(TestModels.value("y", 2))
                .addNode(TestModels.node("first", "Add", List.of("x", "b"), List.of("a")))
                .addNode(TestModels.node("second", "Relu", List.of("a"), List.of("b")))
                .addNode(TestModels.node("out", "Identity", List.of("a"), List.of("y"))).build();
        assertMentions(loadError(TestModels.model(g, 13)), "cycle", "'first'", "'second'");
    }

    @Test
    void danglingName() {
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 2)).addOutput(TestModels.value("y", 2))
                .addNode(TestModels.node("adder", "Add", List.of("x", "nowhere"), List.of("y"))).build();
        assertMentions(loadError(TestModels.model(g, 13)), "'adder'", "(Add)", "'nowhere'", "no graph input, initializer or node defines");
    }

    @Test
    void undefinedGraphOutput() {
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 2)).addOutput(TestModels.value("y", 2))
                .addNode(TestModels.node("r", "Relu", List.of("x"), List.of("z"))).build();
        assertMentions(loadError(TestModels.model(g, 13)), "graph output 'y'");
    }

    @Test
    void duplicateNames() {
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 2)).addOutput(TestModels.value("y", 2))
                .addNode(TestModels.node("one", "Relu", List.of("x"), List.of("y")))
                .addNode(TestModels.node("two", "Neg", List.of("x"), List.of("y"))).build();
        assertMentions(loadError(TestModels.model(g, 13)), "'two'", "defines 'y'", "'one'");
        GraphProto inputs = GraphProto.newBuilder().addInput(TestModels.value("x", 2)).addInput(TestModels.value("x", 2))
                .addOutput(TestModels.value("x", 2)).build();
        assertMentions(loadError(TestModels.model(inputs, 13)), "graph input 'x' is declared twice");
        GraphProto inits = GraphProto.newBuilder().addOutput(TestModels.value("c", 1))
                .addInitializer(TestModels.tensor("c", Tensor.ones(1))).addInitializer(TestModels.tensor("c", Tensor.ones(1))).build();
        assertMentions(loadError(TestModels.model(inits, 13)), "initializer 'c' is defined twice");
    }

    @Test
    void initializerInconsistentWithItsDeclaration() {
        ModelProto m = TestModels.linearRelu(W, B);
        GraphProto g = m.getGraph().toBuilder().addInput(TestModels.value("W", 4, 3)).build();
        assertMentions(loadError(m.toBuilder().setGraph(g).build()), "initializer 'W'", "[3, 4]", "[4, 3]");
        TensorProto shortData = TensorProtos.fromTensor("W", W).toBuilder().setRawData(com.google.protobuf.ByteString.copyFrom(new byte[20])).build();
        GraphProto g2 = m.getGraph().toBuilder().setInitializer(0, shortData).build();
        assertMentions(loadError(m.toBuilder().setGraph(g2).build()), "initializer 'W'", "raw_data has 20 bytes", "need 48");
        TensorProto noData = TensorProto.newBuilder().setName("W").setDataType(1).addDims(3).addDims(4).addFloatData(1).build();
        GraphProto g3 = m.getGraph().toBuilder().setInitializer(0, noData).build();
        assertMentions(loadError(m.toBuilder().setGraph(g3).build()), "initializer 'W'", "holds 1 values", "need 12");
    }

    @Test
    void shapeErrorsNameTheNode() {
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 2, 3)).addOutput(TestModels.value("y", 2, 3))
                .addInitializer(TestModels.tensor("w", Tensor.ones(5, 7)))
                .addNode(TestModels.node("mm", "MatMul", List.of("x", "w"), List.of("y"))).build();
        assertMentions(loadError(TestModels.model(g, 13)), "node 'mm' (MatMul, opset 13)");
    }

    @Test
    void absurdDimensions() {
        TensorProto huge = TensorProto.newBuilder().setName("W").setDataType(1).addDims(1L << 20).addDims(1L << 20).addDims(1L << 20).build();
        ModelProto m = TestModels.linearRelu(W, B);
        assertMentions(loadError(m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, huge)).build()), "initializer 'W'", "2^31");
        TensorProto negative = TensorProto.newBuilder().setName("W").setDataType(1).addDims(-3).addDims(4).build();
        assertMentions(loadError(m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, negative)).build()), "negative");
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 1L << 40)).addOutput(TestModels.value("x", 1L << 40)).build();
        assertMentions(loadError(TestModels.model(g, 13)), "graph input 'x'", "dimension 0");
        // A ConstantOfShape asking for 10^12 elements is refused instead of allocating.
        GraphProto c = GraphProto.newBuilder().addOutput(TestModels.value("y"))
                .addInitializer(TestModels.tensor("shape", Tensor.of(new long[] {1_000_000, 1_000_000}, 2)))
                .addNode(TestModels.node("fill", "ConstantOfShape", List.of("shape"), List.of("y"))).build();
        assertMentions(loadError(TestModels.model(c, 13)), "node 'fill' (ConstantOfShape", "2^28");
    }

    @Test
    void missingOrEscapingExternalData(@TempDir Path dir) throws Exception {
        ModelProto m = TestModels.linearRelu(W, B);
        for (String location : new String[] {"missing.bin", "../outside.bin"}) {
            TensorProto external = TensorProto.newBuilder().setName("W").setDataType(1).addDims(3).addDims(4)
                    .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location)).build();
            Path file = dir.resolve("m.onnx");
            Files.write(file, m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, external)).build().toByteArray());
            String msg = assertThrows(OnnxException.class, () -> OnnxModel.load(file)).getMessage();
            assertMentions(msg, "initializer 'W'", location.startsWith("..") ? "outside the model's directory" : "does not exist");
        }
        Files.write(dir.resolve("short.bin"), new byte[10]);
        TensorProto tooShort = TensorProto.newBuilder().setName("W").setDataType(1).addDims(3).addDims(4)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("short.bin")).build();
        Path file = dir.resolve("m2.onnx");
        Files.write(file, m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, tooShort)).build().toByteArray());
        assertMentions(assertThrows(OnnxException.class, () -> OnnxModel.load(file)).getMessage(), "short.bin", "10 bytes");
    }

    @Test
    void unsupportedOperatorAttributeAndOpsetAreNamedAtLoadTime() {
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 2)).addOutput(TestModels.value("y", 2))
                .addNode(TestModels.node("pool", "ImageDecoder", List.of("x", "x"), List.of("y"))).build();
        assertMentions(assertThrows(UnsupportedOnnxException.class, () -> OnnxModel.load(TestModels.model(g, 20).toByteArray(), "m.onnx", CompileOptions.defaults())).getMessage(),
                "node 'pool' (ImageDecoder, opset 20)", "operator ImageDecoder is not supported");
        GraphProto a = GraphProto.newBuilder().addInput(TestModels.value("x", 2)).addOutput(TestModels.value("y", 2))
                .addNode(TestModels.node("r", "Relu", List.of("x"), List.of("y"), TestModels.intAttr("mystery", 1))).build();
        assertMentions(loadError(TestModels.model(a, 13)), "node 'r' (Relu, opset 13)", "attribute 'mystery' is not supported");
        GraphProto ok = GraphProto.newBuilder().addInput(TestModels.value("x", 2)).addOutput(TestModels.value("y", 2))
                .addNode(TestModels.node("r", "Relu", List.of("x"), List.of("y"))).build();
        assertMentions(loadError(TestModels.model(ok, 99)), "opset 99", "1 to 21");
        GraphProto deconv4d = GraphProto.newBuilder().addInput(TestModels.value("x", 1, 1, 4, 4, 4, 4)).addOutput(TestModels.value("y"))
                .addInitializer(TestModels.tensor("w", Tensor.ones(1, 1, 2, 2, 2, 2)))
                .addNode(TestModels.node("d4", "ConvTranspose", List.of("x", "w"), List.of("y"))).build();
        assertMentions(loadError(TestModels.model(deconv4d, 13)), "node 'd4' (ConvTranspose, opset 13)", "4-D ConvTranspose", "not supported");
    }

    @Test
    void deeplyNestedMessagesAreRefused() {
        // 200 nested sub-graph attributes: past the parser's recursion limit, refused rather than overflowing the stack.
        GraphProto g = GraphProto.newBuilder().setName("leaf").build();
        for (int i = 0; i < 200; i++) {
            var attr = org.sinter.onnx.proto.Onnx.AttributeProto.newBuilder().setName("body").setType(org.sinter.onnx.proto.Onnx.AttributeProto.AttributeType.GRAPH).setG(g);
            g = GraphProto.newBuilder().addNode(org.sinter.onnx.proto.Onnx.NodeProto.newBuilder().setOpType("If").addAttribute(attr)).build();
        }
        assertMentions(loadError(TestModels.model(g, 13)), "bad.onnx", "not a valid ONNX protobuf");
    }
}
