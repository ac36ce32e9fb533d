package org.sinter.serve.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.serve.TestRepository;
import org.sinter.serve.grpc.v2.ModelInferRequest;
import org.sinter.serve.perf.GrpcLoad;
import org.sinter.serve.perf.LoadGenerator;

/** The load generator's gRPC mode against the server's gRPC endpoint on loopback (short, bounded steps). */
class GrpcLoadTest {
    @TempDir
    Path root;
    private GrpcLoopback server;
    private GrpcLoad load;

    @BeforeEach
    void start() throws Exception {
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1);
        server = new GrpcLoopback(root);
        load = new GrpcLoad("127.0.0.1:" + server.grpc.port());
    }

    @AfterEach
    void stop() {
        load.close();
        server.close();
    }

    @Test
    void randomRequestsFromTheMetadataAreAnswered() throws Exception {
        JsonNode meta = load.metadata("tiny", null);
        assertEquals("x", meta.get("inputs").get(0).get("name").asText());
        ModelInferRequest request = GrpcLoad.request(LoadGenerator.randomRequest(meta, 2, 7), "tiny", null);
        assertEquals(2 * 4 * 4, request.getRawInputContents(0).size());
        LoadGenerator.Step closed = load.run(request, 2, Duration.ofMillis(200), Duration.ofMillis(800));
        assertTrue(closed.requests() > 0 && closed.failed() == 0, closed.toString());
        assertTrue(closed.p50() > 0 && closed.p99() >= closed.p50(), closed.toString());
        LoadGenerator.RateStep open = load.runRate(request, 40, LoadGenerator.Arrivals.CONSTANT, 1, 64, Duration.ofMillis(200), Duration.ofSeconds(1));
        assertEquals(0, open.failed(), open.toString());
        assertTrue(open.requests() >= 30 && open.requests() <= 41, open.toString());
    }

    @Test
    void callsTheServerRefusesCountAsFailed() throws Exception {
        byte[] json = "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}]}".getBytes(StandardCharsets.UTF_8);
        LoadGenerator.Step s = load.run(GrpcLoad.request(json, "no_such_model", null), 1, Duration.ZERO, Duration.ofMillis(300));
        assertEquals(0, s.requests());
        assertTrue(s.failed() > 0, s.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load.metadata("no_such_model", null));
        assertTrue(e.getMessage().contains("no_such_model"), e.getMessage());
    }

    @Test
    void aMalformedRequestNamesTheField() {
        byte[] json = "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, -4], \"data\": [1]}]}".getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrpcLoad.request(json, "tiny", null));
        assertTrue(e.getMessage().contains("inputs[0].shape[1]"), e.getMessage());
    }
}
