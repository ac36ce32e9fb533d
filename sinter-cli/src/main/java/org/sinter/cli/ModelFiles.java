package org.sinter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.cli.train.ModelSpec;
import org.sinter.cli.train.TextTask;
import org.sinter.nn.Module;
import org.sinter.nn.io.SafeTensors;

/** Loads a trained model written by {@code sinter train} ({@code model.safetensors}, which names its model). */
final class ModelFiles {
    private ModelFiles() {}

    record Loaded(ModelSpec spec, Module model, TextTask text) {}

    static Loaded load(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no model file " + file + "; train one first (./sinter train) or pass --model-file");
        }
        SafeTensors.Contents c = SafeTensors.read(file);
        String id = c.metadata().get("model");
        if (id == null) throw new IllegalArgumentException(file + " does not name its model (metadata 'model' missing)");
        ModelSpec spec = ModelSpec.of(id);
        TextTask text = spec.kind == org.sinter.cli.train.Task.Kind.TEXT ? new TextTask(null) : null;
        Module m = text != null ? text.createModel() : spec.create();
        Map<String, Tensor> state = c.tensors();
        m.loadStateDict(state, true);
        m.eval();
        return new Loaded(spec, m, text);
    }
}
