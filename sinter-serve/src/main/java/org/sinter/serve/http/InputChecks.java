package org.sinter.serve.http;

import java.util.Set;
import org.sinter.Tensor;
import org.sinter.serve.DataType;
import org.sinter.serve.ServeException;
import org.sinter.serve.config.ModelConfig;
import org.sinter.serve.config.TensorConfig;

/**
 * The checks an infer request's tensors must pass against a model's config, whatever the wire
 * format (the REST endpoint's JSON, the gRPC endpoint's protobuf): each refusal names the field.
 */
public final class InputChecks {
    private InputChecks() {}

    /** The config of input {@code name}, refusing names the model lacks and names given twice. */
    public static TensorConfig input(ModelConfig config, String name, Set<String> seen, String field) {
        TensorConfig want = config.input(name);
        if (want == null) {
            throw ServeException.badRequest(field + ".name: '" + name + "' is not an input of model '" + config.name() + "'; its inputs: "
                    + config.inputs().stream().map(TensorConfig::name).toList());
        }
        if (!seen.add(name)) throw ServeException.badRequest(field + ".name: input '" + name + "' appears twice");
        return want;
    }

    public static void datatype(DataType got, TensorConfig want, ModelConfig config, String field) {
        if (got != want.datatype()) {
            throw ServeException.badRequest(field + ".datatype: input '" + want.name() + "' of model '" + config.name() + "' is "
                    + want.datatype() + ", got " + got);
        }
    }

    /** The request's batch size after this input ({@code batch} −1 before the first); equal across inputs. */
    public static int batch(int[] shape, int batch, ModelConfig config, String field) {
        if (!config.batching()) return batch;
        if (batch >= 0 && shape[0] != batch) {
            throw ServeException.badRequest(field + ".shape: batch size " + shape[0] + " differs from the other inputs' " + batch);
        }
        return shape[0];
    }

    /** Every input of the model was given ({@code inputs} in config order). */
    public static void allPresent(Tensor[] inputs, ModelConfig config) {
        for (int k = 0; k < inputs.length; k++) {
            if (inputs[k] == null) throw ServeException.badRequest("inputs: input '" + config.inputs().get(k).name() + "' of model '" + config.name() + "' is missing");
        }
    }

    /** A requested output, refusing names the model lacks and names requested twice. */
    public static InferRequest.RequestedOutput output(ModelConfig config, String name, Set<String> seen, String field, boolean binary) {
        return output(config, name, seen, field, binary, 0);
    }

    /** As above, with the classification extension's k (0: the tensor itself). */
    public static InferRequest.RequestedOutput output(ModelConfig config, String name, Set<String> seen, String field, boolean binary,
                                                      int classification) {
        TensorConfig want = config.output(name);
        if (want == null) {
            throw ServeException.badRequest(field + ".name: '" + name + "' is not an output of model '" + config.name()
                    + "'; its outputs: " + config.outputs().stream().map(TensorConfig::name).toList());
        }
        if (!seen.add(want.name())) throw ServeException.badRequest(field + ".name: output '" + want.name() + "' requested twice");
        return new InferRequest.RequestedOutput(want.name(), config.outputs().indexOf(want), binary, classification);
    }
}
