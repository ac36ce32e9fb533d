package org.sinter.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.sinter.Sinter;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.io.SafeTensors;
import org.sinter.serve.runtime.ModelFactory;

/**
 * Model repositories on disk for the tests: "tiny" is Flatten, Linear(4, 8), ReLU, Linear(8, 3), with seeded
 * weights written per version (version v is seeded with v, so versions give different answers).
 */
public final class TestRepository {
    private TestRepository() {}

    public static final ModelFactory FACTORY = name -> switch (name) {
        case "tiny" -> new Sequential(new Flatten(), new Linear(4, 8), new ReLU(), new Linear(8, 3));
        default -> throw new IllegalArgumentException("unknown model '" + name + "'; known: [tiny]");
    };

    /** The module version {@code v} of "tiny" holds, for expected answers. */
    public static Module tiny(long version) {
        Sinter.manualSeed(version);
        Module m = FACTORY.create("tiny");
        m.eval();
        return m;
    }

    public static final String TINY_CONFIG = """
            {"platform": "sinter", "model": "tiny", "max_batch_size": 8,
             "input": [{"name": "x", "datatype": "FP32", "shape": [4]}],
             "output": [{"name": "y", "datatype": "FP32", "shape": [3]}],
             "dynamic_batching": {"max_queue_delay_microseconds": 100, "max_queue_size": 64},
             "instance_count": 2, "version_policy": {"latest": {"num_versions": 2}}}
            """;

    /** Writes {@code root/name/config.json} and a version directory for each of {@code versions}. */
    public static Path model(Path root, String name, String config, long... versions) throws IOException {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config);
        for (long v : versions) version(dir, v);
        return dir;
    }

    public static void version(Path modelDir, long v) throws IOException {
        Path vd = modelDir.resolve(Long.toString(v));
        Files.createDirectories(vd);
        SafeTensors.save(tiny(v).stateDict(), vd.resolve("model.safetensors"), Map.of("model", "tiny"));
    }
}
