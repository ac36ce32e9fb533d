package org.sinter.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.TensorProto;
import org.sinter.onnx.proto.Onnx.TypeProto;
import org.sinter.onnx.proto.Onnx.ValueInfoProto;

/** Models that run eagerly: data-dependent output shapes, sequences and optionals, and uint64 held as int64. */
class EagerModelsTest {
    private static OnnxModel load(GraphProto g, int opset) {
        return OnnxModel.load(TestModels.model(g, opset).toByteArray(), "m.onnx", CompileOptions.defaults());
    }

    private static ValueInfoProto sequenceOfFloat(String name) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setSequenceType(
                TypeProto.Sequence.newBuilder().setElemType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))))).build();
    }

    @Test
    void nonZeroOfAComputedTensorRunsEagerly() {
        // y = NonZero(Relu(x)): the output's width is the number of positive elements, known only from the data.
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 2, 3)).addOutput(TestModels.typed("y", TensorProto.DataType.INT64_VALUE))
                .addNode(TestModels.node("r", "Relu", List.of("x"), List.of("h")))
                .addNode(TestModels.node("nz", "NonZero", List.of("h"), List.of("y"))).build();
        OnnxModel m = load(g, 13);
        assertTrue(m.isEager());
        Tensor y = m.call(Tensor.of(new float[] {1, -1, 0, 0, 2, 3}, 2, 3))[0];
        assertArrayEquals(new int[] {2, 3}, y.shape());
        assertArrayEquals(new long[] {0, 1, 1, 0, 1, 2}, y.toLongArray());
        Tensor none = m.call(Tensor.of(new float[] {-1, -1, 0, 0, -2, -3}, 2, 3))[0];
        assertArrayEquals(new int[] {2, 0}, none.shape());
        // Relu, upstream of NonZero, is compiled; NonZero runs on the values it hands over.
        assertTrue(m.isSplit());
        assertTrue(m.graphFor(Tensor.zeros(2, 3)).toString().contains("RELU"), m.graphFor(Tensor.zeros(2, 3)).toString());
    }

    @Test
    void theNodesUpstreamOfADataDependentOneCompileAndTheRestRunsOnTheirValues() {
        // h = Relu(x * W) and s = ReduceSum(h, axis 1) compile; g = GatherND(h, Transpose(NonZero(h))), the positive
        // elements of h, runs eagerly, reading h from the compiled part.
        Tensor w = Tensor.of(new float[] {1, -2, 3}, 3);
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 2, 3))
                .addOutput(TestModels.value("g")).addOutput(TestModels.value("s", 2)).addOutput(TestModels.value("h", 2, 3))
                .addInitializer(TestModels.tensor("W", w)).addInitializer(TestModels.tensor("axes", Tensor.of(new long[] {1}, 1)))
                .addNode(TestModels.node("mul", "Mul", List.of("x", "W"), List.of("m")))
                .addNode(TestModels.node("relu", "Relu", List.of("m"), List.of("h")))
                .addNode(TestModels.node("sum", "ReduceSum", List.of("h", "axes"), List.of("s"), TestModels.intAttr("keepdims", 0)))
                .addNode(TestModels.node("nz", "NonZero", List.of("h"), List.of("idx")))
                .addNode(TestModels.node("t", "Transpose", List.of("idx"), List.of("pos")))
                .addNode(TestModels.node("gather", "GatherND", List.of("h", "pos"), List.of("g"))).build();
        OnnxModel m = load(g, 13);
        assertTrue(m.isEager() && m.isSplit());
        String ir = m.graphFor(Tensor.zeros(2, 3)).toString().toLowerCase();
        assertTrue(ir.contains("relu") && ir.contains("sum"), ir);
        assertFalse(ir.contains("nonzero") || ir.contains("gather") || ir.contains("transpose"), ir);
        Tensor x = Tensor.of(new float[] {1, 1, 1, -1, -1, 2}, 2, 3);
        Tensor[] out = m.call(x);
        Tensor h = x.mul(w).relu();
        assertArrayEquals(h.toFloatArray(), out[2].toFloatArray());
        assertArrayEquals(h.sum(1, false).toFloatArray(), out[1].toFloatArray());
        assertArrayEquals(new float[] {1, 3, 2, 6}, out[0].toFloatArray());
        // A second call with another count of positive elements: the eager part follows the data.
        assertArrayEquals(new float[] {2}, m.call(Tensor.of(new float[] {0, -1, 0, 0, 0, 0}, 2, 3))[0].toFloatArray());
    }

    @Test
    void sequencesGoInAndComeOut() {
        // parts = SplitToSequence(x, axis 0); first = SequenceAt(parts, 0); back = ConcatFromSequence(SequenceInsert(parts, first), axis 0)
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 3, 2)).addInput(sequenceOfFloat("extra"))
                .addOutput(sequenceOfFloat("parts")).addOutput(TestModels.value("back")).addOutput(TestModels.typed("len", TensorProto.DataType.INT64_VALUE))
                .addNode(TestModels.node("split", "SplitToSequence", List.of("x"), List.of("parts")))
                .addNode(TestModels.node("at", "SequenceAt", List.of("parts", "zero"), List.of("first")))
                .addNode(TestModels.node("ins", "SequenceInsert", List.of("extra", "first"), List.of("more")))
                .addNode(TestModels.node("len", "SequenceLength", List.of("more"), List.of("len")))
                .addNode(TestModels.node("cat", "ConcatFromSequence", List.of("more"), List.of("back"), TestModels.intAttr("axis", 0)))
                .addInitializer(TestModels.tensor("zero", Tensor.scalar(0, DType.INT64))).build();
        OnnxModel m = load(g, 13);
        assertTrue(m.isEager());
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Object[] out = m.callValues(x, new OnnxSequence(List.of(Tensor.of(new float[] {9, 9}, 1, 2))));
        OnnxSequence parts = (OnnxSequence) out[0];
        assertEquals(3, parts.size());
        assertArrayEquals(new float[] {3, 4}, ((Tensor) parts.items().get(1)).toFloatArray());
        assertArrayEquals(new float[] {9, 9, 1, 2}, ((Tensor) out[1]).toFloatArray());
        assertEquals(2, ((Tensor) out[2]).toLongArray()[0]);
        // A sequence output cannot come back through the tensor API, and a tensor is no sequence.
        assertThrows(OnnxException.class, () -> m.call(x, Tensor.zeros(2)));
        String msg = assertThrows(OnnxException.class, () -> m.callValues(x, Tensor.zeros(2))).getMessage();
        assertTrue(msg.contains("'extra' must be a sequence"), msg);
    }

    @Test
    void optionalsReportPresence() {
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 2)).addOutput(TestModels.typed("has", TensorProto.DataType.BOOL_VALUE))
                .addOutput(TestModels.typed("none", TensorProto.DataType.BOOL_VALUE))
                .addNode(TestModels.node("wrap", "Optional", List.of("x"), List.of("o")))
                .addNode(TestModels.node("has", "OptionalHasElement", List.of("o"), List.of("has")))
                .addNode(TestModels.node("empty", "Optional", List.of(), List.of("e")))
                .addNode(TestModels.node("none", "OptionalHasElement", List.of("e"), List.of("none"))).build();
        Tensor[] out = load(g, 15).call(Tensor.ones(2));
        assertTrue(out[0].toBooleanArray()[0]);
        assertFalse(out[1].toBooleanArray()[0]);
    }

    @Test
    void uint64LoadsAsInt64AndRefusesValuesPastTheSignBit() {
        TensorProto small = TensorProto.newBuilder().setName("c").setDataType(TensorProto.DataType.UINT64_VALUE).addDims(2).addUint64Data(3).addUint64Data(5).build();
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.typed("x", TensorProto.DataType.UINT64_VALUE, 2))
                .addOutput(TestModels.typed("y", TensorProto.DataType.UINT64_VALUE, 2)).addInitializer(small)
                .addNode(TestModels.node("add", "Add", List.of("x", "c"), List.of("y"))).build();
        assertArrayEquals(new long[] {4, 7}, load(g, 13).call(Tensor.of(new long[] {1, 2}, 2))[0].toLongArray());
        TensorProto huge = small.toBuilder().setUint64Data(1, -1L).build(); // 2^64 - 1
        String msg = assertThrows(OnnxException.class, () -> load(g.toBuilder().setInitializer(0, huge).build(), 13)).getMessage();
        assertTrue(msg.contains("tensor 'c'") && msg.contains("18446744073709551615") && msg.contains("2^63"), msg);
    }

    @Test
    void roiAlignSamplesWhereTheBoxesSay() {
        // One 2x2 image [[1, 2], [3, 4]], box (0, 0)-(1, 1) in output_half_pixel coordinates, one bin, one sample at (0.5, 0.5).
        java.util.function.Function<String, OnnxModel> model = mode -> load(GraphProto.newBuilder().addInput(TestModels.value("x", 1, 1, 2, 2))
                .addInput(TestModels.value("rois", 1, 4)).addInput(TestModels.typed("idx", TensorProto.DataType.INT64_VALUE, 1)).addOutput(TestModels.value("y"))
                .addNode(TestModels.node("ra", "RoiAlign", List.of("x", "rois", "idx"), List.of("y"), TestModels.intAttr("sampling_ratio", 1),
                        org.sinter.onnx.proto.Onnx.AttributeProto.newBuilder().setName("mode").setType(org.sinter.onnx.proto.Onnx.AttributeProto.AttributeType.STRING)
                                .setS(com.google.protobuf.ByteString.copyFromUtf8(mode)).build()))
                .build(), 10);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), box = Tensor.of(new float[] {0, 0, 1, 1}, 1, 4);
        OnnxModel avg = model.apply("avg");
        assertTrue(avg.isEager());
        assertEquals(2.5f, avg.call(x, box, Tensor.of(new long[] {0}, 1))[0].item(), 1e-6);
        // Max mode takes the largest weighted corner of each sample (ONNX Runtime's rule): 0.25 * 4.
        assertEquals(1.0f, model.apply("max").call(x, box, Tensor.of(new long[] {0}, 1))[0].item(), 1e-6);
        OnnxException e = assertThrows(OnnxException.class, () -> avg.call(x, box, Tensor.of(new long[] {3}, 1)));
        assertTrue(e.getMessage().contains("batch_indices[0] = 3"), e.getMessage());
    }
}
