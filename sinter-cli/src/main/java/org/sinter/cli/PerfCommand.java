package org.sinter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sinter.serve.perf.LoadGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter perf}: a concurrency sweep against any Open Inference Protocol server (like Triton's
 * perf_analyzer), reporting throughput and p50/p90/p95/p99 latency per step as a table and CSV.
 */
@Command(name = "perf", mixinStandardHelpOptions = true,
        description = "Load-test an Open Inference Protocol server: throughput and latency percentiles per concurrency.")
final class PerfCommand implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8000", description = "server base URL (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = {"-m", "--model"}, required = true, description = "model name")
    String model;

    @Option(names = "--model-version", description = "model version (default: the server's latest)")
    String version;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,8,32", description = "concurrent clients per step (default: ${DEFAULT-VALUE})")
    List<Integer> concurrency;

    @Option(names = "--duration", defaultValue = "10", description = "measured seconds per step (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", defaultValue = "2", description = "unmeasured seconds before each step (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--batch", defaultValue = "1", description = "samples per request (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--input", description = "a JSON infer request body to send instead of random inputs from the model's metadata")
    Path input;

    @Option(names = "--csv", description = "also write the table as CSV to this file")
    Path csv;

    @Override
    public Integer call() throws Exception {
        if (seconds <= 0 || warmup < 0) throw new UsageException("--duration must be > 0 and --warmup >= 0");
        for (int c : concurrency) if (c < 1 || c > 4096) throw new UsageException("--concurrency values must be in [1, 4096], got " + c);
        if (batch < 1) throw new UsageException("--batch must be at least 1, got " + batch);
        LoadGenerator gen = new LoadGenerator();
        byte[] body;
        if (input != null) {
            body = Files.readAllBytes(input);
        } else {
            JsonNode meta = gen.metadata(url, model, version);
            body = LoadGenerator.randomRequest(meta, batch, 1);
        }
        URI infer = LoadGenerator.modelUri(url, model, version, "/infer");
        System.out.printf(Locale.ROOT, "%s, %d-byte requests, %.0f s per step after %.0f s warm-up%n", infer, body.length, seconds, warmup);
        System.out.printf(Locale.ROOT, "%11s %10s %8s %12s %9s %9s %9s %9s%n", "concurrency", "requests", "failed", "infer/s", "p50 ms", "p90 ms", "p95 ms", "p99 ms");
        List<String> rows = new ArrayList<>();
        rows.add("concurrency,requests,failed,throughput_per_s,p50_ms,p90_ms,p95_ms,p99_ms");
        for (int c : concurrency) {
            LoadGenerator.Step s = gen.run(infer, body, c, Duration.ofMillis((long) (warmup * 1000)), Duration.ofMillis((long) (seconds * 1000)));
            System.out.printf(Locale.ROOT, "%11d %10d %8d %12.1f %9.2f %9.2f %9.2f %9.2f%n", s.concurrency(), s.requests(), s.failed(),
                    s.throughput() * batch, s.p50(), s.p90(), s.p95(), s.p99());
            rows.add(String.format(Locale.ROOT, "%d,%d,%d,%.2f,%.3f,%.3f,%.3f,%.3f", s.concurrency(), s.requests(), s.failed(),
                    s.throughput() * batch, s.p50(), s.p90(), s.p95(), s.p99()));
        }
        if (csv != null) writeAtomically(csv, String.join("\n", rows) + "\n");
        return 0;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
