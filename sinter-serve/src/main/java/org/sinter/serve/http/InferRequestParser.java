package org.sinter.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.sinter.Tensor;
import org.sinter.serve.DataType;
import org.sinter.serve.ServeException;
import org.sinter.serve.config.ModelConfig;
import org.sinter.serve.config.TensorConfig;

/**
 * Reads an infer request body — JSON, optionally followed by the binary tensor data extension's raw
 * little-endian tensors — and checks it against the model's config. Every error is a 400 whose message
 * names the field ({@code inputs[0].shape}) and what was expected.
 */
public final class InferRequestParser {
    /**
     * Numbers are parsed with Jackson's bundled FastDoubleParser instead of the JDK's
     * {@code Double.parseDouble}: the hundreds of numbers of a JSON {@code data} array were the
     * largest share of a request's parse (bench class {@code RequestPathCost}). Same values: both
     * round correctly.
     */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private static final Set<String> REQUEST_KEYS = Set.of("id", "parameters", "inputs", "outputs");
    private static final Set<String> INPUT_KEYS = Set.of("name", "shape", "datatype", "parameters", "data");

    private final long maxElements;

    /** @param maxElements the most elements one input tensor may hold */
    public InferRequestParser(long maxElements) {
        this.maxElements = maxElements;
    }

    /**
     * @param headerLength the {@code Inference-Header-Content-Length} header, or -1 when the whole body is JSON
     */
    public InferRequest parse(byte[] body, int headerLength, ModelConfig config) {
        int jsonLength = headerLength < 0 ? body.length : headerLength;
        if (jsonLength > body.length) {
            throw ServeException.badRequest("Inference-Header-Content-Length " + headerLength + " exceeds the body's " + body.length + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body, 0, jsonLength);
        } catch (JsonProcessingException e) {
            throw ServeException.badRequest("malformed JSON in the request body: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ServeException.badRequest("unreadable request body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw ServeException.badRequest("the request body must be a JSON object");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!REQUEST_KEYS.contains(k)) throw ServeException.badRequest("unknown request field '" + k + "'; known: " + REQUEST_KEYS);
        }
        JsonNode idNode = root.get("id");
        if (idNode != null && !idNode.isTextual()) throw ServeException.badRequest("id must be a string");
        JsonNode params = root.get("parameters");
        if (params != null && !params.isObject()) throw ServeException.badRequest("parameters must be an object");
        int priority = (int) nonNegative(params, "priority", Integer.MAX_VALUE);
        long timeout = nonNegative(params, "timeout", Long.MAX_VALUE / 1000);
        boolean binaryOutputs = bool(params, "binary_data_output", "parameters.binary_data_output");

        ByteBuffer binary = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice().order(ByteOrder.LITTLE_ENDIAN);
        Tensor[] inputs = inputs(root.get("inputs"), config, binary, headerLength >= 0);
        if (binary.hasRemaining()) {
            throw ServeException.badRequest("the binary data holds " + binary.remaining() + " bytes more than the inputs' binary_data_size declare");
        }
        return new InferRequest(idNode == null ? null : idNode.asText(), inputs, outputs(root.get("outputs"), config, binaryOutputs), priority, timeout);
    }

    private Tensor[] inputs(JsonNode array, ModelConfig config, ByteBuffer binary, boolean binaryAllowed) {
        if (array == null || !array.isArray()) throw ServeException.badRequest("inputs must be an array of {name, shape, datatype, data}");
        Tensor[] out = new Tensor[config.inputs().size()];
        int batch = -1;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String field = "inputs[" + i + "]";
            JsonNode in = array.get(i);
            if (!in.isObject()) throw ServeException.badRequest(field + " must be an object");
            for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!INPUT_KEYS.contains(k)) throw ServeException.badRequest(field + ": unknown field '" + k + "'; known: " + INPUT_KEYS);
            }
            JsonNode nameNode = in.get("name");
            if (nameNode == null || !nameNode.isTextual()) throw ServeException.badRequest(field + ".name must be a string");
            String name = nameNode.asText();
            TensorConfig want = InputChecks.input(config, name, seen, field);
            JsonNode dtNode = in.get("datatype");
            DataType dt;
            try {
                dt = DataType.parse(dtNode == null || !dtNode.isTextual() ? null : dtNode.asText(), field + ".datatype");
            } catch (IllegalArgumentException e) {
                throw ServeException.badRequest(e.getMessage());
            }
            InputChecks.datatype(dt, want, config, field);
            int[] shape = shape(in.get("shape"), field + ".shape");
            checkShape(shape, want, config, field + ".shape");
            long count = 1;
            for (int d : shape) count *= d;
            if (count > maxElements) {
                throw new ServeException(413, field + ": " + count + " elements exceed the server's limit of " + maxElements + " per tensor");
            }
            batch = InputChecks.batch(shape, batch, config, field);
            JsonNode p = in.get("parameters");
            if (p != null && !p.isObject()) throw ServeException.badRequest(field + ".parameters must be an object");
            JsonNode size = p == null ? null : p.get("binary_data_size");
            Tensor t;
            if (size != null) {
                if (!binaryAllowed) throw ServeException.badRequest(field + ".parameters.binary_data_size needs the Inference-Header-Content-Length header");
                if (in.has("data")) throw ServeException.badRequest(field + ": give either data or parameters.binary_data_size, not both");
                if (!size.isIntegralNumber() || size.asLong() != count * dt.byteSize) {
                    throw ServeException.badRequest(field + ".parameters.binary_data_size is " + size + " but " + Arrays.toString(shape) + " "
                            + dt + " needs " + count * dt.byteSize + " bytes");
                }
                if (binary.remaining() < size.asLong()) {
                    throw ServeException.badRequest(field + ".parameters.binary_data_size: " + size + " bytes declared, only " + binary.remaining() + " left in the body");
                }
                t = TensorCodec.fromBinary(binary, dt, (int) count, shape);
            } else {
                JsonNode data = in.get("data");
                if (data == null) throw ServeException.badRequest(field + ".data is missing");
                t = TensorCodec.fromJson(data, dt, (int) count, shape, field + ".data");
            }
            out[config.inputs().indexOf(want)] = t;
        }
        InputChecks.allPresent(out, config);
        return out;
    }

    /** Checks a request shape against an input's config (a leading batch dimension when the model batches). */
    public static void checkShape(int[] shape, TensorConfig want, ModelConfig config, String field) {
        int[] item = shape;
        if (config.batching()) {
            if (shape.length == 0 || shape[0] < 1 || shape[0] > config.maxBatchSize()) {
                throw ServeException.badRequest(field + ": " + Arrays.toString(shape) + " needs a leading batch dimension in [1, "
                        + config.maxBatchSize() + "] followed by " + Arrays.toString(want.shape()));
            }
            item = Arrays.copyOfRange(shape, 1, shape.length);
        }
        if (!want.accepts(item)) {
            throw ServeException.badRequest(field + ": " + Arrays.toString(shape) + " does not match input '" + want.name() + "' "
                    + (config.batching() ? "[batch, " + Arrays.toString(want.shape()).substring(1) : Arrays.toString(want.shape())));
        }
    }

    private static int[] shape(JsonNode s, String field) {
        if (s == null || !s.isArray()) throw ServeException.badRequest(field + " must be an array of dimensions");
        if (s.size() > 8) throw ServeException.badRequest(field + ": " + s.size() + " dimensions is too many");
        int[] out = new int[s.size()];
        for (int d = 0; d < out.length; d++) {
            JsonNode n = s.get(d);
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0) {
                throw ServeException.badRequest(field + "[" + d + "] must be a non-negative integer, got " + n);
            }
            out[d] = n.asInt();
        }
        return out;
    }

    private static List<InferRequest.RequestedOutput> outputs(JsonNode array, ModelConfig config, boolean binaryDefault) {
        List<InferRequest.RequestedOutput> out = new ArrayList<>();
        if (array == null) {
            for (int k = 0; k < config.outputs().size(); k++) out.add(new InferRequest.RequestedOutput(config.outputs().get(k).name(), k, binaryDefault));
            return out;
        }
        if (!array.isArray()) throw ServeException.badRequest("outputs must be an array of {name, parameters}");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String field = "outputs[" + i + "]";
            JsonNode o = array.get(i);
            if (!o.isObject()) throw ServeException.badRequest(field + " must be an object");
            JsonNode nameNode = o.get("name");
            if (nameNode == null || !nameNode.isTextual()) throw ServeException.badRequest(field + ".name must be a string");
            JsonNode p = o.get("parameters");
            if (p != null && !p.isObject()) throw ServeException.badRequest(field + ".parameters must be an object");
            boolean binary = p != null && p.has("binary_data") ? bool(p, "binary_data", field + ".parameters.binary_data") : binaryDefault;
            int classification = 0;
            JsonNode k = p == null ? null : p.get("classification");
            if (k != null) {
                if (!k.isIntegralNumber() || !k.canConvertToInt() || k.asInt() < 1) {
                    throw ServeException.badRequest(field + ".parameters.classification must be a positive integer, got " + k);
                }
                classification = k.asInt();
            }
            out.add(InputChecks.output(config, nameNode.asText(), seen, field, binary, classification));
        }
        return out;
    }

    private static long nonNegative(JsonNode params, String key, long max) {
        JsonNode v = params == null ? null : params.get(key);
        if (v == null) return 0;
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > max) {
            throw ServeException.badRequest("parameters." + key + " must be a non-negative integer" + (max < Long.MAX_VALUE ? " up to " + max : "") + ", got " + v);
        }
        return v.asLong();
    }

    private static boolean bool(JsonNode params, String key, String field) {
        JsonNode v = params == null ? null : params.get(key);
        if (v == null) return false;
        if (!v.isBoolean()) throw ServeException.badRequest(field + " must be true or false, got " + v);
        return v.asBoolean();
    }
}
