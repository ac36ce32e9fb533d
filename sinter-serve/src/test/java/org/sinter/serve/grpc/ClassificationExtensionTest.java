package org.sinter.serve.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.serve.TestRepository;
import org.sinter.serve.grpc.v2.InferParameter;
import org.sinter.serve.grpc.v2.ModelInferRequest;
import org.sinter.serve.grpc.v2.ModelInferResponse;

/**
 * Triton's classification extension over REST (JSON and binary BYTES) and gRPC: the top-k strings
 * are checked against the model's forward in Java, ranked by hand.
 */
@Timeout(120)
class ClassificationExtensionTest {
    @TempDir
    Path root;
    private GrpcLoopback server;
    private final HttpClient client = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1, 2);
        TestRepository.model(root, "named", TestRepository.TINY_CONFIG.replace("\"instance_count\": 2,", "\"instance_count\": 1,"
                + " \"image_classifier\": {\"channels\": 1, \"labels\": [\"zero\", \"one\", \"two\"]},").replace("\"shape\": [4]", "\"shape\": [1, 2, 2]"), 1);
        server = new GrpcLoopback(root);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The expected strings: each row's classes by falling value (lower index first on ties), k of them. */
    private static List<String> topK(long version, float[] x, int rows, int k, List<String> labels) {
        float[] y;
        try (var _ = Sinter.noGrad()) {
            y = TestRepository.tiny(version).forward(Tensor.of(x, rows, 4)).toFloatArray();
        }
        int classes = y.length / rows;
        List<String> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            boolean[] used = new boolean[classes];
            for (int j = 0; j < Math.min(k, classes); j++) {
                int best = -1;
                for (int c = 0; c < classes; c++) if (!used[c] && (best < 0 || y[r * classes + c] > y[r * classes + best])) best = c;
                used[best] = true;
                out.add(y[r * classes + best] + ":" + best + (best < labels.size() ? ":" + labels.get(best) : ""));
            }
        }
        return out;
    }

    private HttpResponse<byte[]> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.http.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static final float[] X = GrpcInferenceServerTest.X;
    private static final String INPUT = "{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [2, 4], \"data\": [0.5, -1, 2, 0.25, 1, 1, -0.5, 3]}";

    @Test
    void restAnswersTopKStringsAsJsonAndAsBinaryBytes() throws Exception {
        HttpResponse<byte[]> r = post("/v2/models/tiny/infer", "{\"inputs\": [" + INPUT + "],"
                + " \"outputs\": [{\"name\": \"y\", \"parameters\": {\"classification\": 2}}]}");
        assertEquals(200, r.statusCode(), new String(r.body()));
        JsonNode out = JSON.readTree(r.body()).get("outputs").get(0);
        assertEquals("BYTES", out.get("datatype").asText());
        assertEquals("[2,2]", out.get("shape").toString());
        List<String> got = new ArrayList<>();
        out.get("data").forEach(n -> got.add(n.asText()));
        assertEquals(topK(2, X, 2, 2, List.of()), got);

        // More than the output's 3 classes: all of them, ranked.
        r = post("/v2/models/tiny/versions/1/infer", "{\"inputs\": [" + INPUT + "],"
                + " \"outputs\": [{\"name\": \"y\", \"parameters\": {\"classification\": 7, \"binary_data\": true}}]}");
        assertEquals(200, r.statusCode(), new String(r.body()));
        int headerLength = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode header = JSON.readTree(new String(r.body(), 0, headerLength, StandardCharsets.UTF_8)).get("outputs").get(0);
        assertEquals("[2,3]", header.get("shape").toString());
        ByteBuffer b = ByteBuffer.wrap(r.body(), headerLength, r.body().length - headerLength).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(b.remaining(), header.get("parameters").get("binary_data_size").asInt());
        List<String> strings = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] s = new byte[b.getInt()];
            b.get(s);
            strings.add(new String(s, StandardCharsets.UTF_8));
        }
        assertEquals(topK(1, X, 2, 3, List.of()), strings);

        // A model with labels appends them.
        r = post("/v2/models/named/infer", "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [2, 1, 2, 2],"
                + " \"data\": [0.5, -1, 2, 0.25, 1, 1, -0.5, 3]}], \"outputs\": [{\"name\": \"y\", \"parameters\": {\"classification\": 1}}]}");
        assertEquals(200, r.statusCode(), new String(r.body()));
        List<String> named = new ArrayList<>();
        JSON.readTree(r.body()).get("outputs").get(0).get("data").forEach(n -> named.add(n.asText()));
        assertEquals(topK(1, X, 2, 1, List.of("zero", "one", "two")), named);

        for (String bad : List.of("0", "-1", "1.5", "\"2\"")) {
            r = post("/v2/models/tiny/infer", "{\"inputs\": [" + INPUT + "], \"outputs\": [{\"name\": \"y\", \"parameters\": {\"classification\": " + bad + "}}]}");
            assertEquals(400, r.statusCode(), bad);
            assertTrue(new String(r.body()).contains("outputs[0].parameters.classification must be a positive integer"), new String(r.body()));
        }
        assertTrue(new String(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.http.port() + "/v2")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).contains("\"classification\""), "server metadata lists the extension");
    }

    @Test
    void grpcAnswersTopKStringsAsRawBytes() {
        ModelInferRequest req = GrpcInferenceServerTest.typed(X).addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                .setName("y").putParameters("classification", InferParameter.newBuilder().setInt64Param(2).build())).build();
        ModelInferResponse r = server.call("ModelInfer", req, ModelInferResponse.getDefaultInstance());
        assertEquals("BYTES", r.getOutputs(0).getDatatype());
        assertEquals(List.of(2L, 2L), r.getOutputs(0).getShapeList());
        ByteBuffer b = r.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<String> strings = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] s = new byte[b.getInt()];
            b.get(s);
            strings.add(new String(s, StandardCharsets.UTF_8));
        }
        assertEquals(topK(2, X, 2, 2, List.of()), strings);

        ModelInferRequest bad = GrpcInferenceServerTest.typed(X).addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                .setName("y").putParameters("classification", InferParameter.newBuilder().setStringParam("2").build())).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> server.call("ModelInfer", bad, ModelInferResponse.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("outputs[0].parameters.classification"), e.getStatus().getDescription());
    }
}
