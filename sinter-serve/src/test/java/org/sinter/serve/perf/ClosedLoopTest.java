package org.sinter.serve.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The event-loop closed loop against a scripted server: what it sends, which answers count as
 * failures, and the reconnects. Counts of failures are exact (the script decides them); counts of
 * successes only need to be positive, since they depend on the machine's speed.
 */
class ClosedLoopTest {
    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void sendsTheEncodedRequestAndCountsOnlyBadAnswersAsFailures() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=1\r\nabc\r\n0\r\nT: 1\r\n\r\n";
        String interim = "HTTP/1.1 100 Continue\r\n\r\n" + ok("after");
        // Connection 0: two answers, then it reads the third request and closes (an idle close's race):
        // that request goes again on connection 1, which answers a 500 (a failure), a malformed status line
        // (a failure) and closes; connection 2 answers everything after, in three framings.
        List<String> plenty = Collections.nCopies(300_000, ok("fine"));
        try (ScriptedHttpServer s = new ScriptedHttpServer(List.of(
                List.of(ok("a"), chunked, ScriptedHttpServer.READ_THEN_CLOSE),
                List.of(interim, "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 2x0 What\r\n\r\n"),
                plenty))) {
            URI uri = s.uri("/v2/models/m/infer");
            InferBody body = InferBody.json("{\"inputs\": []}".getBytes());
            long now = System.nanoTime();
            LoadGenerator.Step step = new ClosedLoop(uri, body.request(uri), now, now + 400_000_000L, 10_000_000_000L)
                    .run(1, 1, 0.4);
            assertEquals(2, step.failed(), step.toString());
            assertTrue(step.requests() >= 4, step.toString());
            assertEquals(3, s.connections());
            String expected = new String(body.request(uri), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (String r : s.requests) assertEquals(expected, r);
        }
    }

    @Test
    void spreadsConnectionsOverThreadsAndCountsRefusedConnectionsAsFailures() throws Exception {
        try (ScriptedHttpServer s = new ScriptedHttpServer(Collections.nCopies(5, Collections.nCopies(300_000, ok("fine"))))) {
            LoadGenerator.Step step = new LoadGenerator().run(s.uri("/x"), InferBody.json("{}".getBytes()), 5, 2, Duration.ofMillis(100),
                    Duration.ofMillis(300));
            assertEquals(0, step.failed(), step.toString());
            assertTrue(step.requests() > 0, step.toString());
            assertEquals(5, s.connections(), "one connection each, kept alive");
        }
        // Nothing listens: every measured request fails, and the step still ends.
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        LoadGenerator.Step refused = new LoadGenerator().run(URI.create("http://127.0.0.1:" + port + "/x"), InferBody.json("{}".getBytes()),
                2, 1, Duration.ZERO, Duration.ofMillis(200));
        assertEquals(0, refused.requests(), refused.toString());
        assertTrue(refused.failed() > 0, refused.toString());
    }
}
