package org.sinter.serve.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A load generator for any Open Inference Protocol server (the engine of {@code sinter perf}, after
 * Triton's {@code perf_analyzer}), in two modes. Closed loop ({@link #run}): {@code concurrency}
 * clients each send an infer request, wait for the answer and send the next. Open loop ({@link
 * #runRate}): requests are sent on a schedule fixed in advance (constant or Poisson arrivals at a
 * given rate) whether or not earlier ones have been answered, and each latency is measured from the
 * request's <em>scheduled</em> send time, so time spent waiting behind a lagging sender counts (no
 * coordinated omission). After a warm-up every answer's latency is recorded, and the step reports
 * throughput and latency percentiles.
 *
 * <p>Requests are HTTP/1.1 over keep-alive sockets, encoded once per step ({@link InferBody}: JSON or
 * the binary tensor data extension): the closed loop runs wrk's design, a few event-loop threads each
 * serving many connections ({@link ClosedLoop}); the open loop takes a blocking {@link HttpConnection}
 * from a pool per request. Either way the generator's own cost per request stays small beside the
 * server's.
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a connection waits for an answer (or to connect) before the request counts as failed. */
    private static final int TIMEOUT_MILLIS = 60_000;

    /**
     * One concurrency step's result; latencies in milliseconds.
     *
     * @param failed answers other than 200 (and transport errors) during the measured window
     * @param clientCpuMicros the generator process's own CPU time (all its threads, user and system)
     *     in the measured window per answered request, in microseconds: what it took from a machine it
     *     shares with the server (NaN when no request was answered or the JVM cannot tell)
     */
    public record Step(int concurrency, long requests, long failed, double seconds, double throughput, double p50, double p90,
                       double p95, double p99, double clientCpuMicros) {}

    /** The model's metadata, {@code GET /v2/models/<model>[/versions/<v>]}. */
    public JsonNode metadata(URI base, String model, String version) throws IOException, InterruptedException {
        URI uri = modelUri(base, model, version, "");
        HttpConnection.Response r;
        try (HttpConnection c = new HttpConnection(uri, TIMEOUT_MILLIS)) {
            r = c.exchange(HttpConnection.encode("GET", uri, null, null), true);
        }
        if (r.status() != 200) {
            throw new IllegalArgumentException("GET " + uri + " answered " + r.status() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return JSON.readTree(r.body());
    }

    public static URI modelUri(URI base, String model, String version, String suffix) {
        String b = base.toString().replaceAll("/+$", "");
        return URI.create(b + "/v2/models/" + model + (version == null ? "" : "/versions/" + version) + suffix);
    }

    /**
     * An infer request with random inputs shaped from the metadata: {@code batch} samples where the
     * first dimension is -1, other wildcard dimensions 1; floats uniform in [0, 1), integers in [0, 10).
     */
    public static byte[] randomRequest(JsonNode metadata, int batch, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        ObjectNode req = JSON.createObjectNode();
        ArrayNode inputs = req.putArray("inputs");
        for (JsonNode in : metadata.get("inputs")) {
            ObjectNode o = inputs.addObject();
            o.put("name", in.get("name").asText());
            String dt = in.get("datatype").asText();
            o.put("datatype", dt);
            ArrayNode shape = o.putArray("shape");
            long count = 1;
            JsonNode s = in.get("shape");
            for (int d = 0; d < s.size(); d++) {
                int dim = s.get(d).asInt();
                if (dim == -1) dim = d == 0 ? batch : 1;
                shape.add(dim);
                count *= dim;
            }
            ArrayNode data = o.putArray("data");
            for (long i = 0; i < count; i++) {
                switch (dt) {
                    case "FP32", "FP64" -> data.add((float) rnd.nextDouble());
                    case "BOOL" -> data.add(rnd.nextBoolean());
                    default -> data.add(rnd.nextInt(10));
                }
            }
        }
        return JSON.writeValueAsBytes(req);
    }

    /**
     * Runs one closed-loop step: {@code concurrency} connections over {@code threads} event-loop
     * threads ({@link ClosedLoop}, wrk's design) for {@code warmup} then {@code measure}. Requests sent
     * inside the measured window are counted (each connection's last one may be answered after it
     * closes); throughput is their number over the window's length.
     */
    public Step run(URI inferUri, InferBody body, int concurrency, int threads, Duration warmup, Duration measure) throws InterruptedException {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        return new ClosedLoop(inferUri, body.request(inferUri), measureFrom, end, TIMEOUT_MILLIS * 1_000_000L)
                .run(concurrency, threads, measure.toNanos() / 1e9);
    }

    /** How an open-loop step spaces its requests. */
    public enum Arrivals { CONSTANT, POISSON }

    /**
     * One request-rate step's result; latencies in milliseconds, from each request's scheduled send time.
     *
     * @param requestRate the rate asked for, requests per second
     * @param sentRate requests actually sent in the measured window, per second
     * @param requests requests scheduled in the measured window and answered 200
     * @param failed requests scheduled in the measured window answered otherwise (or not at all)
     * @param throughput answers 200 that arrived within the measured window, per second
     * @param lateSends requests sent more than a millisecond after their scheduled time (the sender
     *     itself could not keep up; their latency includes that wait)
     */
    public record RateStep(double requestRate, double sentRate, long requests, long failed, double seconds, double throughput,
                           double p50, double p90, double p95, double p99, long lateSends) {}

    /**
     * Runs one open-loop step: requests are scheduled at {@code rate} per second ({@code arrivals}
     * constant or exponential gaps from {@code seed}) for {@code warmup} then {@code measure}, each sent
     * on its own virtual thread, at most {@code maxOutstanding} unanswered at once (beyond that the
     * sender waits, and the wait counts in the latency). Returns after every measured request is
     * answered or has timed out (60 s).
     */
    public RateStep runRate(URI inferUri, InferBody body, double rate, Arrivals arrivals, long seed, int maxOutstanding,
                            Duration warmup, Duration measure) throws InterruptedException {
        byte[] request = body.request(inferUri);
        // Idle keep-alive connections; at most maxOutstanding exist, since each is held by one request.
        ConcurrentLinkedDeque<HttpConnection> idle = new ConcurrentLinkedDeque<>();
        ConcurrentLinkedDeque<HttpConnection> opened = new ConcurrentLinkedDeque<>();
        try {
            return OpenLoop.run(rate, arrivals, seed, maxOutstanding, warmup, measure, TIMEOUT_MILLIS / 1000, done -> Thread.ofVirtual().start(() -> {
                boolean ok = false;
                HttpConnection connection = null;
                try {
                    connection = idle.pollFirst();
                    if (connection == null) {
                        connection = new HttpConnection(inferUri, TIMEOUT_MILLIS);
                        opened.add(connection);
                    }
                    ok = connection.send(request) == 200;
                } catch (IOException | RuntimeException e) {
                    ok = false;
                } finally {
                    if (connection != null) idle.addFirst(connection);
                    done.accept(ok);
                }
            }));
        } finally {
            for (HttpConnection c : opened) c.close();
        }
    }

    /** Latencies recorded from many threads. */
    static final class LatencyLog {
        private long[] values;
        private int n;

        LatencyLog(int capacity) {
            values = new long[Math.max(16, capacity)];
        }

        synchronized void add(long nanos) {
            if (n == values.length) values = Arrays.copyOf(values, n * 2);
            values[n++] = nanos;
        }

        synchronized long[] sorted() {
            long[] out = Arrays.copyOf(values, n);
            Arrays.sort(out);
            return out;
        }
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    /** This process's CPU time so far, or -1 where the JVM does not report it. */
    static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** Nearest-rank percentile of sorted nanoseconds, in milliseconds (NaN when empty). */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
