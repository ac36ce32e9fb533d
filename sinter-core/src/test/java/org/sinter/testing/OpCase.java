package org.sinter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.sinter.DType;

/**
 * One call of one op with PyTorch's results (a CASE of tools/fixtures/README.md). Lists hold
 * null where the format has null: an output without upstream gradient, an input without grad.
 */
public record OpCase(String id, String op, Attrs attrs, List<InputSpec> inputs, List<TensorData> outputs,
                     List<TensorData> gradOutputs, List<TensorData> grads) {

    public static OpCase parse(JsonNode c) {
        List<InputSpec> inputs = new ArrayList<>();
        for (JsonNode i : c.get("inputs")) inputs.add(InputSpec.parse(i));
        return new OpCase(c.get("id").asText(), c.get("op").asText(), new Attrs(c.get("attrs")), List.copyOf(inputs),
                TensorData.parseList(c.get("outputs")), TensorData.parseList(c.get("gradOutputs")),
                TensorData.parseList(c.get("grads")));
    }

    /** The same case calling another op key (the harness's own tests feed it wrong ops). */
    public OpCase withOp(String otherOp) {
        return new OpCase(id, otherOp, attrs, inputs, outputs, gradOutputs, grads);
    }

    public boolean hasBackward() { return gradOutputs.stream().anyMatch(g -> g != null); }

    /** PyTorch's output dtypes and shapes: all a shape-only (meta) backend must reproduce. */
    public List<TensorMeta> outputMetas() { return outputs.stream().map(TensorData::meta).toList(); }

    public List<TensorMeta> inputMetas() { return inputs.stream().map(InputSpec::meta).toList(); }

    /** Whether any input or output is float32 (see {@link Tolerances#forGradient}). */
    public boolean involvesFloat32() {
        return inputs.stream().anyMatch(i -> i.data().dtype() == DType.FLOAT32)
                || outputs.stream().anyMatch(o -> o.dtype() == DType.FLOAT32);
    }

    /** Like {@code add[broadcast_f32] with inputs (float32[2, 3], float32[3] grad) attrs {}}. */
    public String describe() {
        return id + " with inputs " + inputs.stream().map(InputSpec::describe)
                .collect(Collectors.joining(", ", "(", ")")) + " attrs " + attrs;
    }
}
