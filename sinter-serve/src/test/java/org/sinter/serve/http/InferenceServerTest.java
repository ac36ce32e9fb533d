package org.sinter.serve.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.serve.TestRepository;
import org.sinter.serve.metrics.ServerMetrics;
import org.sinter.serve.repository.ModelRepository;

/** The HTTP endpoints over loopback with the JDK's client. */
class InferenceServerTest {
    @TempDir
    Path root;
    private ModelRepository repo;
    private InferenceServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1, 2);
        TestRepository.model(root, "digits", TestRepository.TINY_CONFIG.replace("\"shape\": [4]", "\"shape\": [1, 2, 2]")
                .replace("\"instance_count\": 2,", "\"instance_count\": 1, \"image_classifier\": {\"channels\": 1, \"top_k\": 2,"
                        + " \"labels\": [\"zero\", \"one\", \"two\"]},"), 1);
        ServerMetrics metrics = new ServerMetrics();
        repo = new ModelRepository(root, name -> name.equals("flat") ? null : TestRepository.FACTORY.create(name), metrics::observer);
        repo.loadAll();
        server = new InferenceServer(repo, metrics, new InferenceServer.Options("127.0.0.1", 0, 1 << 16, 1 << 12, 5000, null)).start();
    }

    @AfterEach
    void stop() {
        server.close();
        repo.close();
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> post(String path, String body) throws Exception {
        return send("POST", path, body.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    }

    private JsonNode body(HttpResponse<byte[]> r) throws Exception {
        return json.readTree(r.body());
    }

    private static float[] expected(long version, float[] x, int rows) {
        try (var _ = Sinter.noGrad()) {
            return TestRepository.tiny(version).forward(Tensor.of(x, rows, 4)).toFloatArray();
        }
    }

    private static float[] floats(JsonNode data) {
        float[] f = new float[data.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) data.get(i).asDouble();
        return f;
    }

    @Test
    void healthAndMetadata() throws Exception {
        assertEquals(200, send("GET", "/v2/health/live", null).statusCode());
        assertEquals(200, send("GET", "/v2/health/ready", null).statusCode());
        assertEquals("sinter", body(send("GET", "/v2", null)).get("name").asText());
        JsonNode meta = body(send("GET", "/v2/models/tiny", null));
        assertEquals("[\"1\",\"2\"]", meta.get("versions").toString());
        assertEquals("{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,4]}", meta.get("inputs").get(0).toString());
        assertEquals(200, send("GET", "/v2/models/tiny/versions/1/ready", null).statusCode());
        assertEquals(404, send("GET", "/v2/models/tiny/versions/9/ready", null).statusCode());
        assertEquals(404, send("GET", "/v2/models/nosuch", null).statusCode());
        assertEquals(200, send("GET", "/ping", null).statusCode());
    }

    @Test
    void inferWithJsonDataNestedOrFlat() throws Exception {
        float[] x = {1, 2, 3, 4, -1, 0.5f, 2, -3};
        HttpResponse<byte[]> r = post("/v2/models/tiny/versions/1/infer", """
                {"id": "r1", "inputs": [{"name": "x", "shape": [2, 4], "datatype": "FP32", "data": [[1, 2, 3, 4], [-1, 0.5, 2, -3]]}]}""");
        assertEquals(200, r.statusCode(), new String(r.body()));
        JsonNode out = body(r);
        assertEquals("r1", out.get("id").asText());
        assertEquals("1", out.get("model_version").asText());
        assertEquals("[2,3]", out.get("outputs").get(0).get("shape").toString());
        assertArrayEquals(expected(1, x, 2), floats(out.get("outputs").get(0).get("data")), 1e-6f);
        JsonNode latest = body(post("/v2/models/tiny/infer", """
                {"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}], "outputs": [{"name": "y"}]}"""));
        assertEquals("2", latest.get("model_version").asText());
        assertArrayEquals(expected(2, new float[] {1, 2, 3, 4}, 1), floats(latest.get("outputs").get(0).get("data")), 1e-6f);
    }

    @Test
    void chunkedInferBodyTakesTheBlockingPathWithTheSameAnswer() throws Exception {
        // No Content-Length: the body is read on a virtual thread of its own instead of asynchronously.
        byte[] request = """
                {"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}""".getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v2/models/tiny/versions/1/infer"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(request))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body()));
        assertArrayEquals(expected(1, new float[] {1, 2, 3, 4}, 1), floats(body(r).get("outputs").get(0).get("data")), 1e-6f);
        HttpResponse<byte[]> bad = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v2/models/tiny/infer"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream("{\"inputs\": [".getBytes()))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(400, bad.statusCode());
        assertTrue(body(bad).get("error").asText().contains("malformed JSON"), new String(bad.body()));
    }

    @Test
    void binaryTensorDataExtension() throws Exception {
        float[] x = {0.25f, -1, 3, 7};
        String header = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":16}}],"
                + "\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":true}}]}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        body.put(h);
        for (float v : x) body.putFloat(v);
        HttpResponse<byte[]> r = send("POST", "/v2/models/tiny/versions/1/infer", body.array(),
                "Inference-Header-Content-Length", Integer.toString(h.length));
        assertEquals(200, r.statusCode(), new String(r.body()));
        int len = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode out = json.readTree(new String(r.body(), 0, len, StandardCharsets.UTF_8));
        assertEquals(12, out.get("outputs").get(0).get("parameters").get("binary_data_size").asInt());
        ByteBuffer data = ByteBuffer.wrap(r.body(), len, 12).order(ByteOrder.LITTLE_ENDIAN);
        float[] y = new float[3];
        for (int i = 0; i < 3; i++) y[i] = data.getFloat();
        assertArrayEquals(expected(1, x, 1), y, 1e-6f);
    }

    @Test
    void badRequestsGet400NamingTheField() throws Exception {
        String[][] cases = {
                {"{\"inputs\": [", "malformed JSON"},
                {"[]", "JSON object"},
                {"{\"inputs\": [{\"name\": \"z\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1,2,3,4]}]}", "inputs[0].name"},
                {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 5], \"datatype\": \"FP32\", \"data\": [1,2,3,4,5]}]}", "inputs[0].shape"},
                {"{\"inputs\": [{\"name\": \"x\", \"shape\": [9, 4], \"datatype\": \"FP32\", \"data\": []}]}", "inputs[0].shape"},
                {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"INT64\", \"data\": [1,2,3,4]}]}", "inputs[0].datatype"},
                {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1,2,3]}]}", "inputs[0].data"},
                {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1,2,\"a\",4]}]}", "inputs[0].data[2]"},
                {"{\"inputs\": []}", "input 'x'"},
                {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1,2,3,4]}], \"outputs\": [{\"name\": \"q\"}]}", "outputs[0].name"},
                {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1,2,3,4]}], \"parameters\": {\"priority\": -1}}", "parameters.priority"},
                {"{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1,2,3,4]}], \"parameters\": {\"priority\": 5}}", "parameters.priority"},
        };
        for (String[] c : cases) {
            HttpResponse<byte[]> r = post("/v2/models/tiny/infer", c[0]);
            assertEquals(400, r.statusCode(), c[0] + " -> " + new String(r.body()));
            String error = body(r).get("error").asText();
            assertTrue(error.contains(c[1]), c[0] + " -> " + error);
        }
        assertEquals(404, post("/v2/models/nosuch/infer", "{}").statusCode());
        HttpResponse<byte[]> badVersion = post("/v2/models/tiny/versions/x/infer", "{}");
        assertEquals(400, badVersion.statusCode());
        assertTrue(body(badVersion).get("error").asText().contains("version 'x'"), new String(badVersion.body()));
        assertEquals(405, send("GET", "/v2/models/tiny/infer", null).statusCode());
        // refused on its Content-Length, before a byte of the body is read
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(("POST /v2/models/tiny/infer HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", head);
        }
        assertEquals(400, send("POST", "/v2/models/tiny/infer", "{}".getBytes(), "Inference-Header-Content-Length", "99").statusCode());
    }

    @Test
    void repositoryApiAndMetrics() throws Exception {
        JsonNode index = body(post("/v2/repository/index", ""));
        assertEquals(3, index.size(), index.toString());
        assertEquals(200, post("/v2/repository/models/tiny/unload", "").statusCode());
        HttpResponse<byte[]> gone = post("/v2/models/tiny/infer", "{\"inputs\": []}");
        assertEquals(400, gone.statusCode());
        assertTrue(body(gone).get("error").asText().contains("unloaded"));
        assertEquals(200, post("/v2/repository/models/tiny/load", "").statusCode());
        HttpResponse<byte[]> bad = post("/v2/repository/models/nosuch/load", "");
        assertEquals(400, bad.statusCode());
        assertTrue(body(bad).get("error").asText().contains("no model directory"), new String(bad.body()));
        for (int i = 0; i < 3; i++) {
            post("/v2/models/tiny/versions/2/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 4], \"datatype\": \"FP32\", \"data\": [1,2,3,4,5,6,7,8]}]}");
        }
        String metrics = new String(send("GET", "/metrics", null).body(), StandardCharsets.UTF_8);
        assertTrue(metrics.contains("sinter_inference_request_success_total{model=\"tiny\",version=\"2\"} 3.0"), metrics);
        assertTrue(metrics.contains("sinter_inference_count_total{model=\"tiny\",version=\"2\"} 6.0"), metrics);
        assertTrue(metrics.contains("sinter_inference_queue_duration_seconds_count{model=\"tiny\",version=\"2\"} 3"), metrics);
        assertTrue(metrics.contains("sinter_inference_batch_size_bucket{model=\"tiny\",version=\"2\",le=\"2.0\"}"), metrics);
        post("/v2/models/random-name-1/infer", "{}");
        metrics = new String(send("GET", "/metrics", null).body(), StandardCharsets.UTF_8);
        assertTrue(!metrics.contains("random-name-1"), "an unknown model's name became a label");
        assertTrue(metrics.contains("sinter_inference_request_failure_total{model=\"\",reason=\"invalid\",version=\"\"}"), metrics);
    }

    @Test
    void torchServePredictionsTakeAnImageAndReturnTopK() throws Exception {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) img.setRGB(x, y, x < 4 ? 0xffffff : 0x000000);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        HttpResponse<byte[]> r = send("POST", "/predictions/digits", png.toByteArray());
        assertEquals(200, r.statusCode(), new String(r.body()));
        JsonNode top = body(r);
        assertEquals(2, top.size());
        // the same image through the same preprocessing and model, by hand: 2x2 grayscale, logits -> softmax
        Tensor x = ImageInput.tensor(png.toByteArray(), repo.get("digits", null).config().imageClassifier(), 2, 2, true);
        float[] logits;
        try (var _ = Sinter.noGrad()) {
            logits = TestRepository.tiny(1).forward(x.reshape(1, 4)).toFloatArray();
        }
        double[] p = TorchServeRoutes.probabilities(logits, "logits");
        int best = 0;
        for (int i = 1; i < 3; i++) if (p[i] > p[best]) best = i;
        String first = top.fieldNames().next();
        assertEquals(new String[] {"zero", "one", "two"}[best], first);
        assertEquals(p[best], top.get(first).asDouble(), 1e-6);
        HttpResponse<byte[]> notImage = send("POST", "/predictions/digits", "hello".getBytes());
        assertEquals(400, notImage.statusCode());
        assertTrue(body(notImage).get("error").asText().contains("not an image"));
        assertEquals(400, send("POST", "/predictions/tiny", png.toByteArray()).statusCode());
    }
}
