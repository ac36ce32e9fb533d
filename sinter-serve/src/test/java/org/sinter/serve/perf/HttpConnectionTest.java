package org.sinter.serve.perf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.serve.TestRepository;
import org.sinter.serve.http.InferenceServer;
import org.sinter.serve.metrics.ServerMetrics;
import org.sinter.serve.repository.ModelRepository;

/**
 * The load generator's HTTP/1.1 client: against the inference server on loopback (answers, statuses
 * and error bodies over one kept-alive socket) and against a scripted server for the framings and
 * failures a real one does not produce on demand. Hang guard only; nothing depends on speed.
 */
@Timeout(120)
class HttpConnectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String text(HttpConnection.Response r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void speaksToTheInferenceServerOverOneKeptAliveConnection(@TempDir Path root) throws Exception {
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1, 2);
        ServerMetrics metrics = new ServerMetrics();
        try (ModelRepository repo = new ModelRepository(root, TestRepository.FACTORY, metrics::observer)) {
            repo.loadAll();
            try (InferenceServer server = new InferenceServer(repo, metrics, InferenceServer.Options.defaults().withPort(0)).start();
                 HttpConnection c = new HttpConnection(URI.create("http://127.0.0.1:" + server.port()), 10_000)) {
                URI base = URI.create("http://127.0.0.1:" + server.port());
                float[] x = {0.5f, -1f, 2f, 0.25f, 1f, 1f, -0.5f, 3f};
                byte[] infer = HttpConnection.encode("POST", LoadGenerator.modelUri(base, "tiny", null, "/infer"), "application/json",
                        ("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,4],\"data\":"
                                + Arrays.toString(x) + "}]}").getBytes(StandardCharsets.UTF_8));
                float[] expected;
                try (var _ = Sinter.noGrad()) {
                    expected = TestRepository.tiny(2).forward(Tensor.of(x, 2, 4)).toFloatArray();
                }
                for (int i = 0; i < 50; i++) {
                    HttpConnection.Response r = c.exchange(infer, true);
                    assertEquals(200, r.status(), text(r));
                    JsonNode data = JSON.readTree(r.body()).get("outputs").get(0).get("data");
                    float[] got = new float[data.size()];
                    for (int k = 0; k < got.length; k++) got[k] = (float) data.get(k).asDouble();
                    assertArrayEquals(expected, got, 1e-5f);
                }
                HttpConnection.Response bad = c.exchange(HttpConnection.encode("POST", LoadGenerator.modelUri(base, "tiny", null, "/infer"),
                        "application/json", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,5],\"data\":[1,2,3,4,5]}]}"
                                .getBytes(StandardCharsets.UTF_8)), true);
                assertEquals(400, bad.status());
                assertTrue(text(bad).contains("inputs[0].shape"), text(bad));
                HttpConnection.Response missing = c.exchange(HttpConnection.encode("GET", LoadGenerator.modelUri(base, "nope", null, ""),
                        null, null), true);
                assertEquals(404, missing.status());
                assertTrue(text(missing).contains("nope"), text(missing));
                assertEquals(200, c.send(HttpConnection.encode("GET", URI.create(base + "/v2/health/ready"), null, null)));
                // The connection survived the errors: the same model still answers on it.
                assertEquals(200, c.send(infer));
                assertEquals("tiny", new LoadGenerator().metadata(base, "tiny", null).get("name").asText());
            }
        }
    }

    @Test
    void encodesOneRequestWithItsLengthAndHost() throws Exception {
        try (ScriptedHttpServer s = new ScriptedHttpServer(List.of(List.of(ok("fine"))));
             HttpConnection c = new HttpConnection(s.uri("/"), 10_000)) {
            URI target = s.uri("/v2/models/m/infer?x=1");
            HttpConnection.Response r = c.exchange(HttpConnection.encode("POST", target, "application/json", "{\"a\":1}".getBytes()), true);
            assertEquals(200, r.status());
            assertEquals("fine", text(r));
            assertEquals("POST /v2/models/m/infer?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + target.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}", s.requests.get(0));
        }
    }

    @Test
    void readsChunkedBodiesWithExtensionsAndTrailers() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n";
        String empty = "HTTP/1.1 204 No Content\r\n\r\n";
        try (ScriptedHttpServer s = new ScriptedHttpServer(List.of(List.of(chunked, empty, ok("after"))));
             HttpConnection c = new HttpConnection(s.uri("/"), 10_000)) {
            byte[] get = HttpConnection.encode("GET", s.uri("/x"), null, null);
            assertEquals("hello 0123456789", text(c.exchange(get, true)));
            assertEquals(204, c.exchange(get, true).status());
            // The framing was consumed exactly: the third answer is read whole from the same socket.
            assertEquals("after", text(c.exchange(get, true)));
            assertEquals(1, s.connections());
        }
    }

    @Test
    void skipsInterimAnswersAndReadsBodiesThatRunToTheClose() throws Exception {
        String interim = "HTTP/1.1 100 Continue\r\n\r\n" + ok("real");
        String toClose = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end";
        try (ScriptedHttpServer s = new ScriptedHttpServer(List.of(List.of(interim, toClose), List.of(ok("new socket"))));
             HttpConnection c = new HttpConnection(s.uri("/"), 10_000)) {
            byte[] get = HttpConnection.encode("GET", s.uri("/"), null, null);
            assertEquals("real", text(c.exchange(get, true)));
            assertEquals("until the end", text(c.exchange(get, true)));
            assertEquals("new socket", text(c.exchange(get, true)));
            assertEquals(2, s.connections());
        }
    }

    @Test
    void reconnectsAfterConnectionCloseAndAfterAnIdleClose() throws Exception {
        String closing = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\none";
        // Connection 1 answers once, then closes when the next request comes (an idle timeout's race):
        // that request must be sent again on a new connection, once.
        try (ScriptedHttpServer s = new ScriptedHttpServer(List.of(List.of(closing), List.of(ok("two"), ScriptedHttpServer.READ_THEN_CLOSE),
                List.of(ok("three"))));
             HttpConnection c = new HttpConnection(s.uri("/"), 10_000)) {
            byte[] get = HttpConnection.encode("GET", s.uri("/"), null, null);
            assertEquals("one", text(c.exchange(get, true)));
            assertEquals("two", text(c.exchange(get, true)));
            assertEquals("three", text(c.exchange(get, true)));
            assertEquals(3, s.connections());
            // Two requests read by connections 1 and 2 were answered; connection 2's second was re-sent on 3.
            assertEquals(4, s.requests.size());
        }
    }

    @Test
    void reportsAServerThatClosesWithoutAnsweringOrMidAnswer() throws Exception {
        try (ScriptedHttpServer s = new ScriptedHttpServer(List.of(List.of(),
                List.of("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b"),
                List.of("HTTP/1.1 200 OK\r\nContent-Le"),
                List.of("HTTP/1.1 20x OK\r\n\r\n"),
                List.of("HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n"),
                List.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
                List.of(ok("recovered"))));
             HttpConnection c = new HttpConnection(s.uri("/"), 10_000)) {
            byte[] get = HttpConnection.encode("GET", s.uri("/"), null, null);
            // A fresh connection closed before any answer is not retried: the server may be refusing work.
            assertTrue(assertThrows(IOException.class, () -> c.send(get)).getMessage().contains("closed the connection without answering"));
            assertTrue(assertThrows(IOException.class, () -> c.send(get)).getMessage().contains("after 10 of 100 body bytes"));
            assertTrue(assertThrows(IOException.class, () -> c.send(get)).getMessage().contains("middle of the answer's head"));
            assertTrue(assertThrows(IOException.class, () -> c.send(get)).getMessage().contains("malformed HTTP status line"));
            assertTrue(assertThrows(IOException.class, () -> c.send(get)).getMessage().contains("malformed Content-Length"));
            assertTrue(assertThrows(IOException.class, () -> c.send(get)).getMessage().contains("malformed chunk size"));
            // After each failure the connection starts afresh.
            assertEquals("recovered", text(c.exchange(get, true)));
            assertEquals(7, s.connections());
        }
    }

    @Test
    void refusesWhatItCannotSpeak() {
        assertThrows(IllegalArgumentException.class, () -> new HttpConnection(URI.create("https://127.0.0.1:1/"), 1000));
        IOException e = assertThrows(IOException.class, () -> {
            try (HttpConnection c = new HttpConnection(URI.create("http://127.0.0.1:1/"), 10_000)) {
                c.send(HttpConnection.encode("GET", URI.create("http://127.0.0.1:1/"), null, null));
            }
        });
        assertTrue(e.getMessage().contains("cannot connect to"), e.getMessage());
    }

    @Test
    void theClosedLoopCountsEveryAnswerOfAServerThatClosesAfterEach() throws Exception {
        // Every connection answers one request with Connection: close; the generator must reconnect
        // each time and count no failures.
        String closing = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
        List<List<String>> script = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) script.add(List.of(closing));
        try (ScriptedHttpServer s = new ScriptedHttpServer(script)) {
            LoadGenerator.Step step = new LoadGenerator().run(s.uri("/v2/models/m/infer"), InferBody.json("{}".getBytes()), 2, 1, Duration.ZERO,
                    Duration.ofMillis(500));
            assertEquals(0, step.failed(), step.toString());
            assertTrue(step.requests() > 0, step.toString());
        }
    }
}
