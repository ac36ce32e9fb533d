package org.sinter.serve.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.sinter.Tensor;
import org.sinter.serve.ServeException;
import org.sinter.serve.config.ImageClassifier;
import org.sinter.serve.config.ModelConfig;

/**
 * TorchServe's inference API for the course's Lab 5: {@code GET /ping} and
 * {@code POST|PUT /predictions/<model>[/<version>]} with an image file as the body, answered with the
 * top-k classes and their probabilities (TorchServe's image classifier handler's answer). The request
 * runs through the same batcher as the protocol's infer, so it is batched with them.
 */
final class TorchServeRoutes {
    private final InferenceService service;
    private final BooleanSupplier ready;

    TorchServeRoutes(InferenceService service, BooleanSupplier ready) {
        this.service = service;
        this.ready = ready;
    }

    Reply ping() {
        ObjectNode n = Reply.JSON.createObjectNode();
        n.put("status", ready.getAsBoolean() ? "Healthy" : "Unhealthy");
        return Reply.json(ready.getAsBoolean() ? 200 : 500, n);
    }

    Reply predict(String model, Long version, Call call) {
        byte[] body = call.body();
        InferenceService.Result r = service.infer(model, version, v -> {
            ModelConfig c = v.config();
            ImageClassifier ic = c.imageClassifier();
            if (ic == null) {
                throw ServeException.badRequest("model '" + model + "' has no image_classifier block in its config.json, so /predictions"
                        + " cannot turn an image into its input; use /v2/models/" + model + "/infer");
            }
            int[] s = c.inputs().getFirst().shape();
            Tensor x = ImageInput.tensor(body, ic, s[1], s[2], c.batching());
            return new InferRequest(null, new Tensor[] {x}, List.of(new InferRequest.RequestedOutput(c.outputs().getFirst().name(), 0, false)), 0, 0);
        });
        ImageClassifier ic = r.version().config().imageClassifier();
        float[] scores = r.outputs()[0].reshape(-1).toFloatArray();
        double[] p = probabilities(scores, ic.output());
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        ObjectNode n = Reply.JSON.createObjectNode();
        for (int k = 0; k < Math.min(ic.topK(), p.length); k++) {
            int cls = order[k];
            n.put(cls < ic.labels().size() ? ic.labels().get(cls) : Integer.toString(cls), p[cls]);
        }
        return Reply.json(200, n);
    }

    /** The output as probabilities: softmax of logits, exp of log-probabilities, or as it is. */
    static double[] probabilities(float[] scores, String kind) {
        double[] p = new double[scores.length];
        switch (kind) {
            case "log_probabilities" -> {
                for (int i = 0; i < p.length; i++) p[i] = Math.exp(scores[i]);
            }
            case "logits" -> {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (float s : scores) max = Math.max(max, s);
                for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(scores[i] - max);
                for (int i = 0; i < p.length; i++) p[i] /= sum;
            }
            default -> {
                for (int i = 0; i < p.length; i++) p[i] = scores[i];
            }
        }
        return p;
    }
}
