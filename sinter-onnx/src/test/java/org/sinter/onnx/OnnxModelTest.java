package org.sinter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.ModelProto;
import org.sinter.onnx.proto.Onnx.StringStringEntryProto;
import org.sinter.onnx.proto.Onnx.TensorProto;

class OnnxModelTest {
    private static final Tensor W = Tensor.of(new float[] {0.5f, -1, 2, 0.25f, 1, 1, -0.5f, 0, -2, 0.75f, 1.5f, -1}, 3, 4);
    private static final Tensor B = Tensor.of(new float[] {0.1f, -0.2f, 0.3f}, 3);

    private static Tensor reference(Tensor x) {
        return x.matmul(W.t()).add(B).relu();
    }

    @Test
    void namedInputsAndOutputsWithADynamicBatch(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.onnx");
        Files.write(file, TestModels.linearRelu(W, B).toByteArray());
        OnnxModel m = OnnxModel.load(file);
        assertEquals("[x: float[batch, 4]]", m.inputs().toString());
        for (int batch : new int[] {1, 2, 5}) {
            Tensor x = Tensor.randn(batch, 4);
            Tensor y = m.run(Map.of("x", x)).get("y");
            assertTrue(y.allclose(reference(x), 1e-5, 1e-6), "batch " + batch);
        }
    }

    @Test
    void theImportedGraphIsTheCompilersIr(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.onnx");
        Files.write(file, TestModels.linearRelu(W, B).toByteArray());
        OnnxModel m = OnnxModel.load(file);
        String ir = m.graphFor(Tensor.randn(2, 4)).toString();
        assertTrue(ir.contains("Bmm") || ir.contains("Mm") || ir.contains("Linear"), ir);
        assertTrue(ir.contains("RELU"), ir);
    }

    @Test
    void wrongInputsAreRefusedByName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.onnx");
        Files.write(file, TestModels.linearRelu(W, B).toByteArray());
        OnnxModel m = OnnxModel.load(file);
        assertTrue(assertThrows(OnnxException.class, () -> m.run(Map.of("z", Tensor.randn(2, 4)))).getMessage().contains("no input named 'z'"));
        assertTrue(assertThrows(OnnxException.class, () -> m.call(Tensor.randn(2, 5))).getMessage().contains("dimension 1 must be 4"));
        assertTrue(assertThrows(OnnxException.class, () -> m.call(Tensor.randn(4))).getMessage().contains("rank 2"));
        assertTrue(assertThrows(OnnxException.class, () -> m.call(Tensor.zeros(org.sinter.DType.INT64, 2, 4))).getMessage().contains("must be float"));
    }

    @Test
    void namedDimensionsMustAgreeAcrossInputs() {
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("a", "n", 3)).addInput(TestModels.value("b", "n", 3))
                .addOutput(TestModels.value("c", "n", 3)).addNode(TestModels.node("add", "Add", List.of("a", "b"), List.of("c"))).build();
        OnnxModel m = OnnxModel.load(TestModels.model(g, 14).toByteArray(), "add.onnx", CompileOptions.defaults());
        Tensor c = m.call(Tensor.ones(2, 3), Tensor.ones(2, 3))[0];
        assertEquals(2.0, c.get(1, 2));
        String msg = assertThrows(OnnxException.class, () -> m.call(Tensor.ones(2, 3), Tensor.ones(4, 3))).getMessage();
        assertTrue(msg.contains("'n'") && msg.contains("4") && msg.contains("2"), msg);
    }

    @Test
    void externalDataIsReadFromBesideTheModel(@TempDir Path dir) throws Exception {
        // W lives in weights.bin at offset 16 (after 16 bytes of something else), as large exported models keep it.
        byte[] raw = TensorProtos.fromTensor("W", W).getRawData().toByteArray();
        byte[] file = new byte[16 + raw.length];
        System.arraycopy(raw, 0, file, 16, raw.length);
        Files.write(dir.resolve("weights.bin"), file);
        ModelProto m = TestModels.linearRelu(W, B);
        TensorProto external = TensorProto.newBuilder().setName("W").setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(3).addDims(4)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue("16"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Integer.toString(raw.length))).build();
        m = m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, external)).build();
        Files.write(dir.resolve("m.onnx"), m.toByteArray());
        OnnxModel loaded = OnnxModel.load(dir.resolve("m.onnx"));
        Tensor x = Tensor.randn(3, 4);
        assertTrue(loaded.call(x)[0].allclose(reference(x), 1e-5, 1e-6));
    }

    @Test
    void convThenBatchNormFoldsIntoOneConvolution() {
        Tensor w = Tensor.randn(4, 2, 3, 3);
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 1, 2, 6, 6)).addOutput(TestModels.value("y", 1, 4, 6, 6))
                .addInitializer(TestModels.tensor("w", w))
                .addInitializer(TestModels.tensor("scale", Tensor.of(new float[] {1, 2, 0.5f, 1.5f}, 4)))
                .addInitializer(TestModels.tensor("bias", Tensor.of(new float[] {0, 1, -1, 0.5f}, 4)))
                .addInitializer(TestModels.tensor("mean", Tensor.of(new float[] {0.1f, -0.2f, 0.3f, 0}, 4)))
                .addInitializer(TestModels.tensor("var", Tensor.of(new float[] {1, 0.5f, 2, 0.8f}, 4)))
                .addNode(TestModels.node("conv", "Conv", List.of("x", "w"), List.of("c"), TestModels.ints("pads", 1, 1, 1, 1)))
                .addNode(TestModels.node("bn", "BatchNormalization", List.of("c", "scale", "bias", "mean", "var"), List.of("y"))).build();
        byte[] bytes = TestModels.model(g, 15).toByteArray();
        OnnxModel frozen = OnnxModel.load(bytes, "convbn.onnx", CompileOptions.defaults().withFrozenParameters());
        OnnxModel plain = OnnxModel.load(bytes, "convbn.onnx", CompileOptions.defaults().withFusion(false).withPasses(org.sinter.compiler.passes.PassManager.none()));
        Tensor x = Tensor.randn(1, 2, 6, 6);
        String ir = frozen.graphFor(x).toString();
        assertEquals(1, ir.split("Conv2d\\{", -1).length - 1, ir);
        assertTrue(!ir.contains("fn: MUL"), "the BatchNorm scale should fold into the convolution's weights:\n" + ir);
        assertTrue(frozen.call(x)[0].allclose(plain.call(x)[0], 1e-4, 1e-5));
    }
}
