package org.sinter.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.train.ModelSpec;
import org.sinter.cli.train.Task;
import org.sinter.cli.train.TextTask;
import org.sinter.nn.Module;
import org.sinter.onnx.export.ExportOptions;
import org.sinter.onnx.export.OnnxExport;
import org.sinter.onnx.proto.Onnx.ModelProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter onnx export}: a model of the zoo, with the weights of a file written by
 * {@code sinter train} (or freshly initialised ones, seeded, when none is given), as an ONNX file
 * with a dynamic batch axis: input {@code input} (images [batch, 1, 28, 28] float32, or token ids
 * [batch, context] int64 for the text models), output {@code output} (logits, or log-probabilities
 * for the Lab 1 CNN).
 */
@Command(name = "export", description = "Export a zoo model (with trained weights) as an ONNX file.")
final class OnnxExportCommand implements Runnable {
    @Option(names = "--model", description = "mlp, lenet5, lab1cnn, resnet18, charlm or gpt (default: the one the checkpoint names)")
    String model;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "a model.safetensors or checkpoint written by 'sinter train' (default: fresh weights, seed 0)")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "the ONNX file to write (atomically)")
    Path out;

    @Option(names = "--opset", defaultValue = "17", description = "opset of the default domain, 13 to 17 (default: ${DEFAULT-VALUE})")
    int opset;

    @Option(names = "--batch", defaultValue = "1", description = "the example batch size traced (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--dynamic-batch", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "name dimension 0 'batch' so any batch size runs (default: ${DEFAULT-VALUE})")
    boolean dynamicBatch;

    @Override
    public void run() {
        if (batch < 1) throw new UsageException("--batch must be at least 1, got " + batch);
        if (opset < ExportOptions.MIN_OPSET || opset > ExportOptions.MAX_OPSET) {
            throw new UsageException("--opset must be " + ExportOptions.MIN_OPSET + " to " + ExportOptions.MAX_OPSET + ", got " + opset);
        }
        if (model == null && checkpoint == null) throw new UsageException("give --model, --checkpoint, or both");
        ModelSpec spec;
        Module m;
        if (checkpoint != null) {
            ModelFiles.Loaded loaded;
            try {
                loaded = ModelFiles.load(checkpoint);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("--checkpoint: cannot read " + checkpoint + ": " + e.getMessage(), e);
            }
            spec = loaded.spec();
            m = loaded.model();
            if (model != null && !ModelSpec.of(model).equals(spec)) {
                throw new UsageException("--model " + model + " but " + checkpoint + " holds a " + spec.id + " model");
            }
        } else {
            try {
                spec = ModelSpec.of(model);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--model: " + e.getMessage());
            }
            Sinter.manualSeed(0);
            m = create(spec);
        }
        Tensor example = example(spec, batch);
        ExportOptions options = ExportOptions.defaults().withOpset(opset).withDynamicBatch(dynamicBatch).withNames(List.of("input"), List.of("output"));
        ModelProto proto = OnnxExport.save(m, example, out, options);
        System.out.printf(Locale.ROOT, "%s -> %s: opset %d, %d nodes, %d initializers, input %s %s%n", spec.id, out, opset, proto.getGraph().getNodeCount(),
                proto.getGraph().getInitializerCount(), example.dtype(), dynamicBatch ? "[batch" + shapeTail(example) + "]" : java.util.Arrays.toString(example.shape()));
    }

    /** A freshly initialised model of the zoo (text models over the bundled text's vocabulary). */
    static Module create(ModelSpec spec) {
        if (spec.kind != Task.Kind.TEXT) return spec.create();
        try {
            return TextTask.forTraining(spec, null).createModel();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the bundled text for " + spec.id + "'s vocabulary: " + e.getMessage(), e);
        }
    }

    /** An input the model takes: a batch of images, or of token-id windows (zeros: export traces shapes only). */
    static Tensor example(ModelSpec spec, int batch) {
        return spec.kind == Task.Kind.TEXT ? Tensor.zeros(DType.INT64, batch, TextTask.CONTEXT) : Tensor.zeros(batch, 1, 28, 28);
    }

    private static String shapeTail(Tensor t) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < t.dim(); i++) b.append(", ").append(t.size(i));
        return b.toString();
    }
}
