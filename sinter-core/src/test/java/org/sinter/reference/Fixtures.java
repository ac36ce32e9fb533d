package org.sinter.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Loads the PyTorch reference fixtures written by tools/fixtures/gen_ops.py (format described
 * there and in tools/fixtures/README.md) from the test class path.
 */
final class Fixtures {
    static final String RESOURCE = "/fixtures/ops.json.gz";

    /** One call of one op with PyTorch's results. Lists hold null where the format has null. */
    record Case(String id, String op, Attrs attrs, List<InputSpec> inputs, List<TensorData> outputs,
                List<TensorData> gradOutputs, List<TensorData> grads) {

        boolean hasBackward() { return gradOutputs.stream().anyMatch(g -> g != null); }
    }

    /** str(tensor) as PyTorch prints it. */
    record Printing(String id, TensorData input, String text) {}

    record All(String torchVersion, List<Case> cases, List<Printing> printing) {}

    private static All loaded;

    private Fixtures() {}

    static synchronized All load() {
        if (loaded != null) return loaded;
        try (InputStream raw = Fixtures.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) throw new IllegalStateException("missing test resource " + RESOURCE
                    + "; regenerate with /usr/bin/python3 tools/fixtures/gen_ops.py");
            JsonNode root = new ObjectMapper().readTree(new GZIPInputStream(raw));
            if (!"sinter-op-fixtures".equals(root.path("format").asText()) || root.path("version").asInt() != 1) {
                throw new IllegalStateException(RESOURCE + ": not sinter-op-fixtures version 1");
            }
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) cases.add(parseCase(c));
            List<Printing> printing = new ArrayList<>();
            for (JsonNode p : root.get("printing")) {
                printing.add(new Printing(p.get("id").asText(), TensorData.parse(p.get("input")), p.get("text").asText()));
            }
            loaded = new All(root.get("torch").asText(), List.copyOf(cases), List.copyOf(printing));
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }

    private static Case parseCase(JsonNode c) {
        List<InputSpec> inputs = new ArrayList<>();
        for (JsonNode i : c.get("inputs")) inputs.add(InputSpec.parse(i));
        return new Case(c.get("id").asText(), c.get("op").asText(), new Attrs(c.get("attrs")), inputs,
                tensors(c.get("outputs")), tensors(c.get("gradOutputs")), tensors(c.get("grads")));
    }

    private static List<TensorData> tensors(JsonNode arr) {
        List<TensorData> out = new ArrayList<>();
        for (JsonNode t : arr) out.add(t.isNull() ? null : TensorData.parse(t));
        return java.util.Collections.unmodifiableList(out);
    }
}
