package org.sinter.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.nn.Module;

/**
 * A JSON fixture written by one of the {@code tools/fixtures/gen_rl_*.py} PyTorch scripts: module
 * state dicts ({@code {name: {shape, data}}}), flat float arrays, and the comparisons the
 * numerics tests make against them.
 */
public final class TorchFixture {
    private final JsonNode root;

    private TorchFixture(JsonNode root) {
        this.root = root;
    }

    /** Reads {@code /fixtures/<name>} from the test resources. */
    public static TorchFixture read(String name) {
        try (InputStream in = TorchFixture.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource /fixtures/" + name + "; run tools/fixtures/gen_rl_*.py");
            return new TorchFixture(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode root() {
        return root;
    }

    /** The node at a path of field names. */
    public JsonNode get(String... path) {
        JsonNode n = root;
        for (String p : path) {
            n = n.get(p);
            if (n == null) throw new IllegalStateException("the fixture has no field " + String.join(".", path));
        }
        return n;
    }

    /** Loads a state dict given as {@code {name: {shape, data}}} into {@code module} (strictly) and returns it. */
    public static <M extends Module> M load(M module, JsonNode stateDict) {
        module.loadStateDict(stateDict(stateDict), true);
        return module;
    }

    public static Map<String, Tensor> stateDict(JsonNode stateDict) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        stateDict.properties().forEach(e -> {
            JsonNode shape = e.getValue().get("shape");
            int[] dims = new int[shape.size()];
            for (int i = 0; i < dims.length; i++) dims[i] = shape.get(i).asInt();
            state.put(e.getKey(), Tensor.of(floats(e.getValue().get("data")), dims));
        });
        return state;
    }

    /** Every parameter's gradient of {@code module} against {@code expected} ({name: data}), each to {@code tol} relative. */
    public static void assertGrads(JsonNode expected, Module module, String what, double tol) {
        module.namedParameters().forEach((name, p) -> {
            JsonNode e = expected.get(name);
            if (e == null) throw new AssertionError(what + ": the fixture has no gradient for " + name);
            assertClose(e, p.grad(), what + "." + name + ".grad", tol);
        });
    }

    /** Element by element, to {@code tol}·max(1, |expected|). */
    public static void assertClose(JsonNode expected, Tensor actual, String what, double tol) {
        float[] a = actual.contiguous().toFloatArray();
        assertEquals(expected.size(), a.length, what + ": element count");
        for (int i = 0; i < a.length; i++) {
            double e = expected.get(i).asDouble();
            assertEquals(e, a[i], tol * Math.max(1, Math.abs(e)), what + "[" + i + "]");
        }
    }

    public static float[] floats(JsonNode array) {
        float[] f = new float[array.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) array.get(i).asDouble();
        return f;
    }

    public static double[] doubles(JsonNode array) {
        double[] d = new double[array.size()];
        for (int i = 0; i < d.length; i++) d[i] = array.get(i).asDouble();
        return d;
    }
}
