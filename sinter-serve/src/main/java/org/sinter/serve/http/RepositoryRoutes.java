package org.sinter.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sinter.serve.ServeException;
import org.sinter.serve.repository.IndexEntry;
import org.sinter.serve.repository.ModelRepository;
import org.sinter.serve.repository.ModelState;

/**
 * The model repository extension (Triton's): {@code POST /v2/repository/index} lists every model with
 * its state and reason; {@code .../models/<m>/load} loads or reloads, {@code .../unload} unloads.
 */
final class RepositoryRoutes {
    private final ModelRepository repository;

    RepositoryRoutes(ModelRepository repository) {
        this.repository = repository;
    }

    Reply index(Call call) {
        boolean readyOnly = false;
        byte[] body = call.body();
        if (body.length > 0) {
            JsonNode n;
            try {
                n = Reply.JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw ServeException.badRequest("malformed JSON in the index request: " + e.getMessage());
            }
            if (n == null || !n.isObject()) throw ServeException.badRequest("the index request must be a JSON object");
            JsonNode r = n.get("ready");
            if (r != null && !r.isBoolean()) throw ServeException.badRequest("ready must be true or false, got " + r);
            readyOnly = r != null && r.asBoolean();
        }
        ArrayNode out = Reply.JSON.createArrayNode();
        for (IndexEntry e : repository.index()) {
            if (readyOnly && e.state() != ModelState.READY) continue;
            ObjectNode o = out.addObject();
            o.put("name", e.name());
            if (e.version() != null) o.put("version", e.version().toString());
            o.put("state", e.state().name());
            o.put("reason", e.reason());
        }
        return Reply.json(200, out);
    }

    Reply load(String model) {
        repository.load(model);
        return Reply.ok();
    }

    Reply unload(String model) {
        repository.unload(model);
        return Reply.ok();
    }
}
