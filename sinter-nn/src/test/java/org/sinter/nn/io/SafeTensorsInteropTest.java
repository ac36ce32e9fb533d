package org.sinter.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * Two-way interop with PyTorch (tools/fixtures/README-safetensors.md): a file written by
 * tools/fixtures/gen_safetensors.py from torch tensors loads here with the expected values, and
 * the checked-in file that Sinter wrote (which the script loads into torch and checks) is exactly
 * what Sinter writes today.
 */
class SafeTensorsInteropTest {
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    @Test
    void loadsTheFileTorchWrote() throws Exception {
        SafeTensors.Contents c = SafeTensors.read(FIXTURES.resolve("torch_written.safetensors"));
        JsonNode expected = new ObjectMapper().readTree(FIXTURES.resolve("torch_written.expected.json").toFile());

        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(n -> { if (!n.equals("__metadata__")) names.add(n); });
        assertEquals(names, new ArrayList<>(c.tensors().keySet()), "tensor names in header order");
        assertEquals("pt", c.metadata().get("format"));
        assertEquals("tools/fixtures/gen_safetensors.py", c.metadata().get("source"));

        for (String name : names) {
            JsonNode e = expected.get(name);
            Tensor t = c.tensors().get(name);
            assertEquals(e.get("dtype").asText(), DTypeCodes.code(t.dtype()), name);
            int[] shape = new int[e.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = e.get("shape").get(i).asInt();
            assertArrayEquals(shape, t.shape(), name);
            JsonNode values = e.get("values");
            assertEquals(values.size(), t.numel(), name);
            for (int i = 0; i < values.size(); i++) {
                JsonNode v = values.get(i);
                String at = name + "[" + i + "]";
                switch (t.dtype()) {
                    case BOOL -> assertEquals(v.asBoolean() ? 1 : 0, t.storage().bytes()[i], at);
                    case INT32, INT64 -> assertEquals(v.asLong(), t.storage().getLong(i), at);
                    default -> assertEquals(0, Double.compare(number(v), t.storage().getDouble(i)),
                            at + ": expected " + v + " got " + t.storage().getDouble(i));
                }
            }
        }
        assertEquals(0, c.tensors().get("i32_scalar").dim());
        assertArrayEquals(new int[] {0, 4}, c.tensors().get("empty").shape());
    }

    private static double number(JsonNode v) {
        if (v.isTextual()) {
            return switch (v.asText()) {
                case "nan" -> Double.NaN;
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> throw new IllegalArgumentException(v.asText());
            };
        }
        return v.doubleValue();
    }

    /** The tensors of sinter_written.safetensors; gen_safetensors.py's sinter_content() mirrors them. */
    static Map<String, Tensor> sinterContent() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("weight", Tensor.arange(0.0, 12.0, 1.0, DType.FLOAT32).reshape(3, 4).div(4).sub(1).t());
        m.put("bias", Tensor.of(new double[] {0.5, -1.25, 3e-300}));
        m.put("steps", Tensor.of(new long[] {1L << 40, -3}));
        m.put("count", Tensor.scalar(7, DType.INT32));
        m.put("mask", Tensor.of(new boolean[] {true, false, true}));
        m.put("half", Tensor.of(new float[] {1.5f, -2f, 65504f}).to(DType.FLOAT16));
        m.put("brain", Tensor.of(new float[] {1f, -0.5f, 256f}).to(DType.BFLOAT16));
        m.put("empty", Tensor.zeros(0, 3));
        return m;
    }

    @Test
    void writesTheFileTorchChecked(@TempDir Path dir) throws Exception {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("producer", "sinter");
        Path fresh = dir.resolve("sinter_written.safetensors");
        SafeTensors.save(sinterContent(), fresh, meta);
        Path checkedIn = FIXTURES.resolve("sinter_written.safetensors");
        if (Boolean.getBoolean("sinter.fixtures.write")) {
            Files.copy(fresh, checkedIn, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertTrue(Files.exists(checkedIn), "missing " + checkedIn + ": see tools/fixtures/README-safetensors.md");
        assertArrayEquals(Files.readAllBytes(checkedIn), Files.readAllBytes(fresh),
                "Sinter no longer writes the bytes that gen_safetensors.py verified; regenerate and re-verify "
                        + "as tools/fixtures/README-safetensors.md says");
        Map<String, Tensor> back = SafeTensors.load(checkedIn);
        sinterContent().forEach((k, v) -> TensorAssert.assertBitsEqual(v, back.get(k), k));
    }
}
