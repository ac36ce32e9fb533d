package org.sinter.serve.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import org.sinter.Tensor;
import org.sinter.serve.DataType;
import org.sinter.serve.http.TensorCodec;

/**
 * The body of an infer request as the load generator sends it: either all JSON, or the binary tensor
 * data extension's layout — a JSON header whose inputs carry {@code parameters.binary_data_size}
 * instead of {@code data}, followed by each input's raw little-endian elements, with the header's
 * length in {@code Inference-Header-Content-Length}. Triton's {@code perf_analyzer} sends binary by
 * default; its inputs cost the server a copy instead of parsing hundreds of decimal numbers.
 *
 * @param bytes the body
 * @param headerLength the JSON header's length in bytes for a binary body, -1 for an all-JSON one
 */
public record InferBody(byte[] bytes, int headerLength) {
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An all-JSON body, sent as it is. */
    public static InferBody json(byte[] json) {
        return new InferBody(json, -1);
    }

    /**
     * The same request with every input's JSON {@code data} moved into the binary section, and the
     * outputs asked for in binary too ({@code parameters.binary_data_output}, as perf_analyzer does), so
     * neither side formats or parses decimal numbers. {@code json} is an infer request as {@code
     * --input} takes it; an input without {@code data} or of a datatype the protocol's binary layout
     * does not cover here is refused naming it.
     */
    public static InferBody binary(byte[] json) throws IOException {
        JsonNode root = JSON.readTree(json);
        if (root == null || !root.isObject() || !root.path("inputs").isArray()) {
            throw new IllegalArgumentException("an infer request must be a JSON object with an \"inputs\" array");
        }
        ObjectNode header = ((ObjectNode) root).deepCopy();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ArrayNode inputs = (ArrayNode) header.get("inputs");
        for (int i = 0; i < inputs.size(); i++) {
            String field = "inputs[" + i + "]";
            if (!(inputs.get(i) instanceof ObjectNode in) || !in.has("data")) {
                throw new IllegalArgumentException(field + " has no data to send in binary");
            }
            byte[] raw = RawInput.of(in, field).data();
            data.writeBytes(raw);
            in.remove("data");
            ObjectNode p = in.has("parameters") && in.get("parameters").isObject() ? (ObjectNode) in.get("parameters") : in.putObject("parameters");
            p.put("binary_data_size", raw.length);
        }
        ObjectNode params = header.has("parameters") && header.get("parameters").isObject()
                ? (ObjectNode) header.get("parameters") : header.putObject("parameters");
        params.put("binary_data_output", true);
        byte[] head = JSON.writeValueAsBytes(header);
        ByteArrayOutputStream all = new ByteArrayOutputStream(head.length + data.size());
        all.writeBytes(head);
        data.writeTo(all);
        return new InferBody(all.toByteArray(), head.length);
    }

    /**
     * One JSON input's shape and its {@code data} as the protocol's raw little-endian bytes (through
     * the server's own {@link TensorCodec}); a malformed input is refused naming {@code field}.
     */
    record RawInput(int[] shape, byte[] data) {
        static RawInput of(JsonNode in, String field) {
            if (!in.has("data")) throw new IllegalArgumentException(field + " has no data");
            DataType dt = DataType.parse(in.path("datatype").isTextual() ? in.get("datatype").asText() : null, field + ".datatype");
            JsonNode s = in.path("shape");
            if (!s.isArray()) throw new IllegalArgumentException(field + ".shape must be an array of dimensions");
            int[] shape = new int[s.size()];
            long count = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = s.get(d).asInt(-1);
                if (shape[d] < 0) throw new IllegalArgumentException(field + ".shape[" + d + "] must be a non-negative integer, got " + s.get(d));
                count *= shape[d];
            }
            if (count > Integer.MAX_VALUE / 8) throw new IllegalArgumentException(field + ": " + count + " elements is too many to send");
            Tensor t = TensorCodec.fromJson(in.get("data"), dt, (int) count, shape, field + ".data");
            return new RawInput(shape, TensorCodec.toBinary(t));
        }
    }

    public boolean isBinary() {
        return headerLength >= 0;
    }

    /** The whole HTTP request for {@code inferUri}, encoded once and sent as it is on every exchange. */
    public byte[] request(URI inferUri) {
        return isBinary()
                ? HttpConnection.encode("POST", inferUri, "application/octet-stream", bytes, HEADER_LENGTH, Integer.toString(headerLength))
                : HttpConnection.encode("POST", inferUri, "application/json", bytes);
    }
}
