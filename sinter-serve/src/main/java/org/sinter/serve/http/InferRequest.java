package org.sinter.serve.http;

import java.util.List;
import org.sinter.Tensor;

/**
 * A parsed and validated Open Inference Protocol infer request.
 *
 * @param inputs the input tensors in the model config's order
 * @param outputs the outputs to return, in the order to return them
 * @param priority 0 for the model's default level
 * @param timeoutMicros 0 for the model's default
 */
public record InferRequest(String id, Tensor[] inputs, List<RequestedOutput> outputs, int priority, long timeoutMicros) {
    /**
     * @param index the output's position in the config (and in the model's outputs)
     * @param classification 0, or the k of Triton's classification extension (top-k classes as BYTES)
     */
    public record RequestedOutput(String name, int index, boolean binary, int classification) {
        public RequestedOutput(String name, int index, boolean binary) {
            this(name, index, binary, 0);
        }
    }
}
