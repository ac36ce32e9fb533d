package org.sinter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * One gzip JSON fixture file on the test class path, written by a generator in tools/fixtures
 * with Debian's PyTorch, and the format its root declares. The files of every module are named
 * here, so the set is listed once; a file is only on the class path of the module that holds it
 * (and of the modules that take that module's test jar: the compiler runs sinter-nn's fixtures).
 */
public record FixtureFile(String resource, String format) {

    /** sinter-core's tensor ops (tools/fixtures/gen_ops.py). */
    public static final FixtureFile CORE_OPS = new FixtureFile("/fixtures/ops.json.gz", OpFixtures.FORMAT);
    /** sinter-nn's functional API, in the same op format (tools/fixtures/gen_nn_functional.py). */
    public static final FixtureFile NN_FUNCTIONAL = new FixtureFile("/fixtures/nn_functional.json.gz", OpFixtures.FORMAT);
    /** sinter-nn's layers, optimizers, schedulers and clipping (tools/fixtures/gen_nn_modules.py). */
    public static final FixtureFile NN_MODULES = new FixtureFile("/fixtures/nn_modules.json.gz", "sinter-nn-fixtures");

    /** Every format this harness reads is at version 1. */
    public static final int VERSION = 1;

    private static final Map<String, JsonNode> ROOTS = new ConcurrentHashMap<>();

    /** The parsed root object, read once per test JVM. */
    public JsonNode root() {
        return ROOTS.computeIfAbsent(resource, r -> read());
    }

    /** The root's list field {@code name} (e.g. "modules"), one JSON object per case. */
    public List<JsonNode> section(String name) {
        JsonNode list = root().get(name);
        if (list == null || !list.isArray()) throw new IllegalStateException(resource + " has no list '" + name + "'");
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        return List.copyOf(out);
    }

    /** The PyTorch version that wrote the file. */
    public String torchVersion() { return root().path("torch").asText(); }

    private JsonNode read() {
        try (InputStream raw = FixtureFile.class.getResourceAsStream(resource)) {
            if (raw == null) throw new IllegalStateException("missing test resource " + resource
                    + "; regenerate it as tools/fixtures/README.md says");
            JsonNode root = new ObjectMapper().readTree(new GZIPInputStream(raw));
            if (!format.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
                throw new IllegalStateException(resource + ": not " + format + " version " + VERSION);
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }
}
