package org.sinter.serve.repository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.io.Checkpoint;
import org.sinter.nn.io.SafeTensors;

/**
 * Reads a version's {@code model.safetensors}: the weights {@code sinter train} writes (metadata
 * {@code model} names the architecture), or a training checkpoint (the model under {@code model/}).
 */
final class WeightsLoader {
    static final String FILE = "model.safetensors";

    private WeightsLoader() {}

    static Map<String, Tensor> read(Path versionDir, String architecture) throws IOException {
        Path file = versionDir.resolve(FILE);
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no " + FILE + " in " + versionDir);
        Map<String, String> meta = SafeTensors.readMetadata(file);
        Map<String, Tensor> state;
        String named;
        if (meta.containsKey("sinter.format")) {
            Checkpoint c = Checkpoint.load(file);
            state = c.modelState();
            named = c.extra().get("model");
        } else {
            state = SafeTensors.read(file).tensors();
            named = meta.get("model");
        }
        if (named != null && !named.equalsIgnoreCase(architecture)) {
            throw new IllegalArgumentException(file + " holds a '" + named + "' model but config.json says model '" + architecture + "'");
        }
        return state;
    }

    static void into(Module module, Map<String, Tensor> state, Path versionDir) {
        try {
            module.loadStateDict(state, true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(versionDir.resolve(FILE) + ": the weights do not fit the model: " + e.getMessage(), e);
        }
    }
}
