package org.sinter.nn.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * Loads the PyTorch reference fixtures of sinter-nn written by tools/fixtures/gen_nn_modules.py
 * (format in that script's docstring; tensors use the core harness's encoding), and compares
 * tensors with a message naming the first mismatch.
 */
final class NnFixtures {
    static final String RESOURCE = "/fixtures/nn_modules.json.gz";
    private static JsonNode root;

    private NnFixtures() {}

    static synchronized JsonNode load() {
        if (root != null) return root;
        try (InputStream raw = NnFixtures.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) throw new IllegalStateException("missing test resource " + RESOURCE
                    + "; regenerate with /usr/bin/python3 tools/fixtures/gen_nn_modules.py");
            JsonNode r = new ObjectMapper().readTree(new GZIPInputStream(raw));
            if (!"sinter-nn-fixtures".equals(r.path("format").asText()) || r.path("version").asInt() != 1) {
                throw new IllegalStateException(RESOURCE + ": not sinter-nn-fixtures version 1");
            }
            root = r;
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }

    /** A fresh contiguous tensor from a fixture TENSOR (null for JSON null). */
    static Tensor tensor(JsonNode node) {
        if (node == null || node.isNull()) return null;
        String dt = node.get("dtype").asText();
        int[] shape = new int[node.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = node.get("shape").get(i).asInt();
        ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(node.get("data").asText())).order(ByteOrder.LITTLE_ENDIAN);
        int n = 1;
        for (int s : shape) n *= s;
        Tensor t = switch (dt) {
            case "float32" -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = buf.getFloat(); yield Tensor.of(a, shape1(shape)); }
            case "float64" -> { double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = buf.getDouble(); yield Tensor.of(a, shape1(shape)); }
            case "int64" -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = buf.getLong(); yield Tensor.of(a, shape1(shape)); }
            case "int32" -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = buf.getInt(); yield Tensor.of(a, shape1(shape)); }
            case "bool" -> { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = buf.get() != 0; yield Tensor.of(a, shape1(shape)); }
            default -> throw new IllegalArgumentException("fixture dtype " + dt);
        };
        return shape.length == 0 ? t.reshape() : t;
    }

    private static int[] shape1(int[] shape) {
        return shape.length == 0 ? new int[] {1} : shape;
    }

    /** A JSON object of TENSORs as an ordered map (null values kept). */
    static Map<String, Tensor> tensors(JsonNode obj) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        obj.properties().forEach(e -> out.put(e.getKey(), tensor(e.getValue())));
        return out;
    }

    static double[] doubles(JsonNode arr) {
        double[] out = new double[arr.size()];
        for (int i = 0; i < out.length; i++) out[i] = arr.get(i).asDouble();
        return out;
    }

    static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) out[i] = arr.get(i).asInt();
        return out;
    }

    /** Fails with the first element outside {@code atol + rtol·|expected|}. */
    static void assertClose(String what, Tensor actual, Tensor expected, double rtol, double atol) {
        if (actual == null) throw new AssertionError(what + ": Sinter gives null, PyTorch " + expected.describe());
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            throw new AssertionError(what + ": shape " + Arrays.toString(actual.shape()) + ", PyTorch gives " + Arrays.toString(expected.shape()));
        }
        if (actual.dtype() != expected.dtype()) {
            throw new AssertionError(what + ": dtype " + actual.dtype() + ", PyTorch gives " + expected.dtype());
        }
        double[] a = actual.toDoubleArray(), e = expected.toDoubleArray();
        int bad = 0, first = -1;
        for (int i = 0; i < e.length; i++) {
            boolean ok = a[i] == e[i] || (Double.isNaN(a[i]) && Double.isNaN(e[i])) || Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
            if (!ok) {
                bad++;
                if (first < 0) first = i;
            }
        }
        if (bad > 0) {
            throw new AssertionError(what + " " + Arrays.toString(expected.shape()) + ": first mismatch at flat index " + first + ": Sinter "
                    + a[first] + ", PyTorch " + e[first] + " (rtol=" + rtol + " atol=" + atol + "); " + bad + " of " + e.length + " differ");
        }
    }

    /** Tolerances by dtype: float64 tight; float32 allows accumulation-order differences. */
    static double rtol(DType dt) {
        return dt == DType.FLOAT64 ? 1e-9 : 1e-4;
    }

    static double atol(DType dt) {
        return dt == DType.FLOAT64 ? 1e-11 : 1e-5;
    }
}
