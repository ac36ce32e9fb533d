package org.sinter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.cli.io.InputFiles;
import org.sinter.cli.train.ModelSpec;
import org.sinter.cli.train.Task;
import org.sinter.cli.train.TextTask;
import org.sinter.cli.train.Vocabularies;
import org.sinter.data.datasets.CharTextDataset;
import org.sinter.data.datasets.Vocabulary;
import org.sinter.nn.Module;
import org.sinter.nn.io.Checkpoint;
import org.sinter.nn.io.SafeTensors;

/**
 * Loads a trained model for eval, predict and sample: a {@code model.safetensors} written by
 * {@code sinter train} (metadata {@code model}, and {@code vocab} for a text model), or a training
 * checkpoint, which holds the same model under {@code model/} and names it in {@code extra.model}.
 */
public final class ModelFiles {
    private ModelFiles() {}

    /**
     * @param vocab the text model's vocabulary (null for image models)
     * @param dataset the text the model was trained on: an absolute path, {@link TextTask#BUNDLED}, or null when unrecorded
     */
    public record Loaded(ModelSpec spec, Module model, Vocabulary vocab, String dataset) {
        boolean isText() {
            return spec.kind == Task.Kind.TEXT;
        }
    }

    public static Loaded load(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no model file " + file + "; train one first (./sinter train) or pass --model-file");
        }
        InputFiles.regularFile(file, "--model-file", InputFiles.MODEL_LIMIT);
        Map<String, String> meta = SafeTensors.readMetadata(file);
        Map<String, Tensor> state;
        Map<String, String> info;
        if (meta.containsKey("sinter.format")) {
            Checkpoint c = Checkpoint.load(file);
            state = c.modelState();
            info = c.extra();
        } else {
            state = SafeTensors.read(file).tensors();
            info = meta;
        }
        String id = info.get("model");
        if (id == null) {
            throw new IllegalArgumentException(file + " does not name its model (metadata 'model' missing): pass a model.safetensors"
                    + " or a checkpoint written by 'sinter train'");
        }
        ModelSpec spec;
        try {
            spec = ModelSpec.of(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        Vocabulary vocab = null;
        Module m;
        if (spec.kind == Task.Kind.TEXT) {
            vocab = vocabulary(file, info, state);
            m = spec.create(vocab.size());
        } else {
            m = spec.create();
        }
        try {
            m.loadStateDict(state, true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": its weights do not fit the " + id + " model: " + e.getMessage(), e);
        }
        m.eval();
        return new Loaded(spec, m, vocab, info.get("dataset"));
    }

    /** The vocabulary recorded with the model; files from before it was recorded were all trained on the bundled text. */
    private static Vocabulary vocabulary(Path file, Map<String, String> info, Map<String, Tensor> state) {
        String recorded = info.get(Vocabularies.KEY);
        Vocabulary v = recorded != null ? Vocabularies.decode(recorded) : CharTextDataset.kingJames(TextTask.CONTEXT).vocabulary();
        Tensor emb = state.get("tok_emb.weight");
        if (emb != null && emb.dim() == 2 && emb.size(0) != v.size()) {
            throw new IllegalArgumentException(file + ": the model has " + emb.size(0) + " characters in its vocabulary but "
                    + (recorded != null ? "its recorded vocabulary has " + v.size()
                    : "records none (written by an older sinter; the bundled text has " + v.size() + "): retrain it"));
        }
        return v;
    }
}
