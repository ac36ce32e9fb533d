package org.sinter.serve.runtime;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.onnx.OnnxModel;
import org.sinter.onnx.ValueInfo;

/**
 * Platform {@code onnx}: a version's {@code model.onnx} imported by {@code sinter-onnx} (traced into
 * the graph compiler, so it runs with the same passes and fused kernels as a compiled Sinter model).
 * Inputs and outputs are matched to the ONNX graph's by the names in the model's config.
 */
public final class OnnxRunner implements ModelRunner {
    private final OnnxModel model;
    private final List<String> inputs, outputs;

    public OnnxRunner(Path file, List<String> inputs, List<String> outputs) {
        this.model = OnnxModel.load(file);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        List<String> declaredIn = model.inputs().stream().map(ValueInfo::name).toList();
        List<String> declaredOut = model.outputs().stream().map(ValueInfo::name).toList();
        for (String i : inputs) {
            if (!declaredIn.contains(i)) throw new IllegalArgumentException(file + ": config input '" + i + "' is not an input of the ONNX graph " + declaredIn);
        }
        for (String o : outputs) {
            if (!declaredOut.contains(o)) throw new IllegalArgumentException(file + ": config output '" + o + "' is not an output of the ONNX graph " + declaredOut);
        }
    }

    @Override
    public Tensor[] run(Tensor[] in) {
        Map<String, Tensor> feeds = new HashMap<>();
        for (int i = 0; i < in.length; i++) feeds.put(inputs.get(i), in[i]);
        Map<String, Tensor> got;
        try (var _ = Sinter.noGrad()) {
            got = model.run(feeds);
        }
        Tensor[] out = new Tensor[outputs.size()];
        for (int o = 0; o < out.length; o++) out[o] = got.get(outputs.get(o));
        return out;
    }
}
