package org.sinter.serve.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.serve.TestRepository;
import org.sinter.serve.metrics.ServerMetrics;
import org.sinter.serve.perf.InferBody;
import org.sinter.serve.perf.LoadGenerator;
import org.sinter.serve.repository.ModelRepository;

/** Reloads and an unload/load of a second model while clients send requests: no valid request fails. */
class ReloadUnderLoadTest {
    @Test
    void reloadsLoseNoRequest(@TempDir Path root) throws Exception {
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1);
        TestRepository.model(root, "other", TestRepository.TINY_CONFIG, 1);
        ServerMetrics metrics = new ServerMetrics();
        try (ModelRepository repo = new ModelRepository(root, TestRepository.FACTORY, metrics::observer)) {
            repo.loadAll();
            try (InferenceServer server = new InferenceServer(repo, metrics, InferenceServer.Options.defaults().withPort(0)).start()) {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                byte[] body = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}".getBytes();
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v2/models/tiny/infer"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
                AtomicInteger running = new AtomicInteger(8);
                List<Thread> clients = new java.util.ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    clients.add(Thread.ofVirtual().start(() -> {
                        try {
                            for (int i = 0; i < 60; i++) {
                                int s = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                                statuses.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
                            }
                        } catch (Exception e) {
                            statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
                        } finally {
                            running.decrementAndGet();
                        }
                    }));
                }
                int reloads = 0;
                while (running.get() > 0 && reloads < 20) {
                    repo.load("tiny");
                    repo.unload("other");
                    repo.load("other");
                    reloads++;
                }
                for (Thread t : clients) t.join(60_000);
                assertTrue(reloads >= 2, "the clients finished before two reloads: " + reloads);
                assertEquals(Map.of(200, 480), Map.copyOf(statuses.entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()))), "reloads: " + reloads);
            }
        }
    }

    @Test
    void loadGeneratorMeasuresAServer(@TempDir Path root) throws Exception {
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1);
        ServerMetrics metrics = new ServerMetrics();
        try (ModelRepository repo = new ModelRepository(root, TestRepository.FACTORY, metrics::observer)) {
            repo.loadAll();
            try (InferenceServer server = new InferenceServer(repo, metrics, InferenceServer.Options.defaults().withPort(0)).start()) {
                LoadGenerator gen = new LoadGenerator();
                URI base = URI.create("http://127.0.0.1:" + server.port());
                byte[] json = LoadGenerator.randomRequest(gen.metadata(base, "tiny", null), 2, 7);
                // JSON and the binary extension, over two event loops: every answer a 200.
                for (InferBody body : new InferBody[] {InferBody.json(json), InferBody.binary(json)}) {
                    LoadGenerator.Step s = gen.run(LoadGenerator.modelUri(base, "tiny", null, "/infer"), body, 4, 2,
                            Duration.ZERO, Duration.ofMillis(800));  // no warm-up: first requests count, however slow
                    assertTrue(s.requests() > 0, "no request answered");
                    assertEquals(0, s.failed());
                    assertTrue(s.p50() <= s.p90() && s.p90() <= s.p95() && s.p95() <= s.p99(), s.toString());
                }
                String m = new String(metrics.scrape());
                assertTrue(m.contains("sinter_inference_count_total{model=\"tiny\",version=\"1\"}"), m);
            }
        }
    }
}
