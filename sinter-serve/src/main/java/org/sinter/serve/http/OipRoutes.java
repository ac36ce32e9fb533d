package org.sinter.serve.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.sinter.serve.ServeException;
import org.sinter.serve.config.ModelConfig;
import org.sinter.serve.config.TensorConfig;
import org.sinter.serve.repository.LoadedVersion;
import org.sinter.serve.repository.ModelRepository;

/**
 * The Open Inference Protocol's REST endpoints ({@code /v2/...}): server liveness, readiness and
 * metadata, model readiness and metadata, and infer (JSON or the binary tensor data extension).
 */
final class OipRoutes {
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    private final ModelRepository repository;
    private final InferenceService service;
    private final InferRequestParser parser;
    private final BooleanSupplier ready;

    OipRoutes(ModelRepository repository, InferenceService service, InferRequestParser parser, BooleanSupplier ready) {
        this.repository = repository;
        this.service = service;
        this.parser = parser;
        this.ready = ready;
    }

    Reply serverMetadata() {
        ObjectNode n = Reply.JSON.createObjectNode();
        n.put("name", "sinter");
        n.put("version", "0.1.0");
        n.putArray("extensions").add("binary_tensor_data").add("classification").add("model_repository");
        return Reply.json(200, n);
    }

    /** 200 when true, 400 when false: the protocol's boolean endpoints. */
    Reply serverReady() {
        return ready.getAsBoolean() ? Reply.ok() : Reply.error(400, "the server is not ready");
    }

    Reply modelReady(String model, Long version) {
        try {
            repository.get(model, version);
            return Reply.ok();
        } catch (ServeException e) {
            return Reply.error(e.status, e.getMessage());
        }
    }

    Reply modelMetadata(String model, Long version) {
        LoadedVersion v = repository.get(model, version);
        ModelConfig c = v.config();
        ObjectNode n = Reply.JSON.createObjectNode();
        n.put("name", c.name());
        ArrayNode versions = n.putArray("versions");
        if (version != null) versions.add(version.toString());
        else for (long x : repository.versions(model)) versions.add(Long.toString(x));
        n.put("platform", c.platform());
        tensors(n.putArray("inputs"), c, c.inputs());
        tensors(n.putArray("outputs"), c, c.outputs());
        ObjectNode p = n.putObject("parameters");
        p.put("max_batch_size", c.maxBatchSize());
        p.put("dynamic_batching", c.dynamicBatching() != null);
        p.put("instance_count", c.instanceCount());
        return Reply.json(200, n);
    }

    private static void tensors(ArrayNode into, ModelConfig c, java.util.List<TensorConfig> ts) {
        for (TensorConfig t : ts) {
            ObjectNode o = into.addObject();
            o.put("name", t.name());
            o.put("datatype", t.datatype().name());
            ArrayNode s = o.putArray("shape");
            if (c.batching()) s.add(-1);
            for (int d : t.shape()) s.add(d);
        }
    }

    /** Answers an infer request once its batch has run, on the thread that ran it; the future fails only with a ServeException. */
    CompletableFuture<Reply> infer(String model, Long version, Call call) {
        String h = call.header(HEADER_LENGTH);
        int headerLength = -1;
        if (h != null) {
            try {
                headerLength = Integer.parseInt(h.trim());
            } catch (NumberFormatException e) {
                throw ServeException.badRequest(HEADER_LENGTH + " must be a non-negative integer, got '" + h + "'");
            }
            if (headerLength < 0) throw ServeException.badRequest(HEADER_LENGTH + " must be a non-negative integer, got " + headerLength);
        }
        byte[] body = call.body();
        int hl = headerLength;
        return service.inferAsync(model, version, v -> parser.parse(body, hl, v.config())).thenApply(r -> {
            InferResponseWriter w = InferResponseWriter.write(r);
            if (w.headerLength() < 0) return new Reply(200, Reply.APPLICATION_JSON, w.body(), Map.of());
            return new Reply(200, "application/octet-stream", w.body(), Map.of(HEADER_LENGTH, Integer.toString(w.headerLength())));
        });
    }
}
