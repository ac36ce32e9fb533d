package org.sinter.serve.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a route answers: status, content type, body and any extra headers. */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String APPLICATION_JSON = "application/json";

    public static Reply json(int status, Object value) {
        try {
            return new Reply(status, APPLICATION_JSON, JSON.writeValueAsBytes(value), Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An empty 200 (the health and readiness endpoints answer with the status alone). */
    public static Reply ok() {
        return new Reply(200, null, new byte[0], Map.of());
    }

    /** The protocol's error body: {@code {"error": "<message>"}}. */
    public static Reply error(int status, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", message);
        return json(status, n);
    }

    public static Reply text(int status, String contentType, String body) {
        return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
