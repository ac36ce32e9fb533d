package org.sinter.serve.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.serve.TestRepository;
import org.sinter.serve.http.InferenceServer;
import org.sinter.serve.metrics.ServerMetrics;
import org.sinter.serve.repository.ModelRepository;

/**
 * The open-loop (request-rate) mode: the schedule, not the server's speed, decides how many requests
 * are sent, and every scheduled request is accounted for. Counts are exact because the schedule is
 * fixed in advance (constant gaps, or seeded exponential ones); nothing here depends on timing.
 */
class OpenLoopLoadTest {
    /** "tiny" with an unbounded queue, so a slow test machine queues requests instead of refusing them. */
    private static final String CONFIG = TestRepository.TINY_CONFIG.replace("\"max_queue_size\": 64", "\"max_queue_size\": 0");

    @Test
    void everyScheduledRequestIsSentAndAnswered(@TempDir Path root) throws Exception {
        TestRepository.model(root, "tiny", CONFIG, 1);
        ServerMetrics metrics = new ServerMetrics();
        try (ModelRepository repo = new ModelRepository(root, TestRepository.FACTORY, metrics::observer)) {
            repo.loadAll();
            try (InferenceServer server = new InferenceServer(repo, metrics, InferenceServer.Options.defaults().withPort(0)).start()) {
                LoadGenerator gen = new LoadGenerator();
                URI base = URI.create("http://127.0.0.1:" + server.port());
                URI infer = LoadGenerator.modelUri(base, "tiny", null, "/infer");
                InferBody body = InferBody.json(LoadGenerator.randomRequest(gen.metadata(base, "tiny", null), 1, 3));

                LoadGenerator.RateStep constant = gen.runRate(infer, body, 100, LoadGenerator.Arrivals.CONSTANT, 1, 4096,
                        Duration.ofMillis(200), Duration.ofSeconds(1));
                // 100 requests scheduled 10 ms apart in the 1 s window, whatever the machine's speed.
                assertEquals(100, constant.requests() + constant.failed(), constant.toString());
                assertEquals(0, constant.failed(), constant.toString());
                assertEquals(100.0, constant.sentRate(), 1e-9, constant.toString());
                assertTrue(constant.p50() > 0 && constant.p50() <= constant.p90() && constant.p90() <= constant.p95()
                        && constant.p95() <= constant.p99(), constant.toString());

                LoadGenerator.RateStep poisson = gen.runRate(infer, body, 300, LoadGenerator.Arrivals.POISSON, 5, 4096,
                        Duration.ZERO, Duration.ofSeconds(1));
                long sent = poisson.requests() + poisson.failed();
                // Poisson(300) in one second: the seeded draw lands within 3.5 standard deviations (±61).
                assertTrue(sent >= 239 && sent <= 361, poisson.toString());
                assertTrue(sent != 300, "exponential gaps gave exactly the constant count: " + poisson);
                assertEquals(0, poisson.failed(), poisson.toString());
                LoadGenerator.RateStep again = gen.runRate(infer, body, 300, LoadGenerator.Arrivals.POISSON, 5, 4096,
                        Duration.ZERO, Duration.ofSeconds(1));
                assertEquals(sent, again.requests() + again.failed(), "the same seed must give the same schedule");
            }
        }
    }

    @Test
    void refusesANonPositiveRate() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LoadGenerator().runRate(
                URI.create("http://127.0.0.1:1/v2/models/x/infer"), InferBody.json(new byte[0]), 0, LoadGenerator.Arrivals.CONSTANT, 1, 1,
                Duration.ZERO, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("request rate"), e.getMessage());
    }
}
