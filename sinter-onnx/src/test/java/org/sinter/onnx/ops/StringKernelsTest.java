package org.sinter.onnx.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.onnx.OnnxException;
import org.sinter.onnx.OnnxStrings;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.NodeProto;
import org.sinter.onnx.proto.Onnx.TensorProto.DataType;

/** Casts between strings and numbers at the edges the backend tests do not reach, and StringNormalizer's refusals. */
class StringKernelsTest {
    private static NodeContext node(String op, AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName("n0").addInput("x").addOutput("y");
        Map<String, AttributeProto> m = new HashMap<>();
        for (AttributeProto a : attrs) {
            b.addAttribute(a);
            m.put(a.getName(), a);
        }
        return new NodeContext(b.build(), new Tensor[0], m, 17, Map.of());
    }

    private static AttributeProto string(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(v)).build();
    }

    @Test
    void numbersBecomePlainShortestDecimals() {
        Tensor x = Tensor.of(new float[] {0.039187793f, 1f, 1e20f, -0f, Float.NaN, Float.NEGATIVE_INFINITY, 2.5e-7f}, 7);
        assertEquals(List.of("0.039187793", "1", "100000000000000000000", "-0", "NaN", "-INF", "0.00000025"), StringKernels.toStrings(x).values());
        assertEquals(List.of("-3", "4"), StringKernels.toStrings(Tensor.of(new long[] {-3, 4}, 2)).values());
        assertEquals(List.of("1", "0"), StringKernels.toStrings(Tensor.of(new boolean[] {true, false}, 2)).values());
        assertArrayEquals(new int[] {}, StringKernels.toStrings(Tensor.scalar(1.5, DType.FLOAT32)).shape());
    }

    @Test
    void stringsReadBackAsTheSameFloats() {
        Tensor x = Tensor.randn(64);
        OnnxStrings s = StringKernels.toStrings(x);
        Tensor back = StringKernels.fromStrings(node("Cast"), s, DataType.FLOAT_VALUE);
        assertArrayEquals(x.toFloatArray(), back.toFloatArray());
    }

    @Test
    void specialLiteralsAndScientificNotation() {
        OnnxStrings s = OnnxStrings.of(List.of("+INF", "inf", "-Inf", "NaN", "1e-5", "1E8", " 3.25 "), 7);
        float[] v = StringKernels.fromStrings(node("Cast"), s, DataType.FLOAT_VALUE).toFloatArray();
        assertEquals(Float.POSITIVE_INFINITY, v[0]);
        assertEquals(Float.POSITIVE_INFINITY, v[1]);
        assertEquals(Float.NEGATIVE_INFINITY, v[2]);
        assertTrue(Float.isNaN(v[3]));
        assertEquals(1e-5f, v[4]);
        assertEquals(1e8f, v[5]);
        assertEquals(3.25f, v[6]);
    }

    @Test
    void integersTruncateRealLiteralsAndRefuseWhatDoesNotFit() {
        Tensor t = StringKernels.fromStrings(node("Cast"), OnnxStrings.of(List.of("100.5", "-7", "+12"), 3), DataType.INT64_VALUE);
        assertArrayEquals(new long[] {100, -7, 12}, t.toLongArray());
        OnnxException e = assertThrows(OnnxException.class,
                () -> StringKernels.fromStrings(node("Cast"), OnnxStrings.of(List.of("1", "300"), 2), DataType.INT8_VALUE));
        assertTrue(e.getMessage().contains("'300'") && e.getMessage().contains("int8") && e.getMessage().contains("n0"), e.getMessage());
        e = assertThrows(OnnxException.class, () -> StringKernels.fromStrings(node("Cast"), OnnxStrings.of(List.of("Hello"), 1), DataType.FLOAT_VALUE));
        assertTrue(e.getMessage().contains("'Hello' is not a number"), e.getMessage());
    }

    @Test
    void normalizerRefusesOtherShapesAndActions() {
        OnnxStrings twoRows = OnnxStrings.of(List.of("a", "b", "c", "d"), 2, 2);
        OnnxException e = assertThrows(OnnxException.class, () -> StringKernels.normalize(node("StringNormalizer"), twoRows));
        assertTrue(e.getMessage().contains("[C] or [1, C]"), e.getMessage());
        OnnxStrings words = OnnxStrings.of(List.of("Monday", "tuesday"), 2);
        e = assertThrows(OnnxException.class, () -> StringKernels.normalize(node("StringNormalizer", string("case_change_action", "TITLE")), words));
        assertTrue(e.getMessage().contains("TITLE"), e.getMessage());
        assertEquals(List.of("MONDAY", "TUESDAY"), StringKernels.normalize(node("StringNormalizer", string("case_change_action", "UPPER")), words).values());
    }
}
