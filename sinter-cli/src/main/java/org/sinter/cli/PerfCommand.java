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
import org.sinter.cli.plot.LineChart;
import org.sinter.serve.grpc.v2.ModelInferRequest;
import org.sinter.serve.perf.GrpcLoad;
import org.sinter.serve.perf.InferBody;
import org.sinter.serve.perf.LoadGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter perf}: a concurrency sweep (closed loop) or a request-rate sweep (open loop, constant
 * or Poisson arrivals) against any Open Inference Protocol server, like Triton's perf_analyzer,
 * reporting throughput and p50/p90/p95/p99 latency per step as a table, CSV and a PNG plot.
 */
@Command(name = "perf", mixinStandardHelpOptions = true,
        description = "Load-test an Open Inference Protocol server: throughput and latency percentiles per concurrency or request rate.")
final class PerfCommand implements Callable<Integer> {
    @Option(names = "--url", description = "the server: a base URL for HTTP (default: http://127.0.0.1:8000), host:port for gRPC"
            + " (default: 127.0.0.1:8001)")
    String url;

    @Option(names = {"-i", "--protocol"}, defaultValue = "http", description = "http or grpc, as perf_analyzer's -i (default: ${DEFAULT-VALUE})")
    String protocol;

    @Option(names = {"-m", "--model"}, required = true, description = "model name")
    String model;

    @Option(names = "--model-version", description = "model version (default: the server's latest)")
    String version;

    @Option(names = "--concurrency", split = ",", description = "closed loop: concurrent clients per step (default: 1,8,32)")
    List<Integer> concurrency;

    @Option(names = "--request-rate", split = ",", description = "open loop: requests per second per step, sent on schedule whether or not"
            + " earlier ones were answered; latency counts from the scheduled send time (instead of --concurrency)")
    List<Double> requestRate;

    @Option(names = "--request-distribution", defaultValue = "constant",
            description = "open loop arrivals: constant or poisson (default: ${DEFAULT-VALUE})")
    String distribution;

    @Option(names = "--max-outstanding", defaultValue = "4096",
            description = "open loop: most requests unanswered at once; beyond it the sender waits (default: ${DEFAULT-VALUE})")
    int maxOutstanding;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the random inputs and Poisson arrivals (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--duration", defaultValue = "10", description = "measured seconds per step (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", defaultValue = "2", description = "unmeasured seconds before each step (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--batch", defaultValue = "1", description = "samples per request (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--input", description = "a JSON infer request body to send instead of random inputs from the model's metadata")
    Path input;

    @Option(names = "--binary", description = "send the inputs with the binary tensor data extension and ask for binary outputs"
            + " (as Triton's perf_analyzer does by default) instead of JSON data")
    boolean binary;

    @Option(names = "--threads", description = "closed loop: event-loop threads the connections are spread over, as wrk's -t"
            + " (default: the number of cores)")
    Integer threads;

    @Option(names = "--csv", description = "also write the table as CSV to this file")
    Path csv;

    @Option(names = "--plot", description = "also draw the sweep as a PNG: throughput (left axis) and p50/p99 latency (right axis)"
            + " against concurrency or request rate")
    Path plot;

    @Override
    public Integer call() throws Exception {
        if (seconds <= 0 || warmup < 0) throw new UsageException("--duration must be > 0 and --warmup >= 0");
        if (concurrency != null && requestRate != null) throw new UsageException("give --concurrency or --request-rate, not both");
        if (concurrency != null) {
            for (int c : concurrency) if (c < 1 || c > 4096) throw new UsageException("--concurrency values must be in [1, 4096], got " + c);
        }
        if (requestRate != null) {
            for (double r : requestRate) {
                if (!(r > 0) || r > 1e6) throw new UsageException("--request-rate values must be in (0, 1000000] requests/s, got " + r);
            }
        }
        LoadGenerator.Arrivals arrivals = switch (distribution.toLowerCase(Locale.ROOT)) {
            case "constant" -> LoadGenerator.Arrivals.CONSTANT;
            case "poisson" -> LoadGenerator.Arrivals.POISSON;
            default -> throw new UsageException("--request-distribution must be constant or poisson, got '" + distribution + "'");
        };
        if (maxOutstanding < 1) throw new UsageException("--max-outstanding must be at least 1, got " + maxOutstanding);
        if (batch < 1) throw new UsageException("--batch must be at least 1, got " + batch);
        int loops = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (loops < 1) throw new UsageException("--threads must be at least 1, got " + loops);
        boolean grpc = switch (protocol.toLowerCase(Locale.ROOT)) {
            case "http" -> false;
            case "grpc" -> true;
            default -> throw new UsageException("--protocol must be http or grpc, got '" + protocol + "'");
        };
        if (grpc) return callGrpc(arrivals, loops);
        URI url;
        try {
            url = URI.create(this.url != null ? this.url : "http://127.0.0.1:8000");
        } catch (IllegalArgumentException e) {
            throw new UsageException("--url must be a URL such as http://127.0.0.1:8000, got '" + this.url + "'");
        }
        LoadGenerator gen = new LoadGenerator();
        byte[] json;
        if (input != null) {
            if (!Files.isRegularFile(input)) throw new UsageException("--input " + input + " is not a file");
            json = Files.readAllBytes(input);
        } else {
            JsonNode meta = gen.metadata(url, model, version);
            json = LoadGenerator.randomRequest(meta, batch, seed);
        }
        InferBody body;
        try {
            body = binary ? InferBody.binary(json) : InferBody.json(json);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("--binary: cannot move " + (input != null ? input : "the request") + "'s data to the binary extension: "
                    + e.getMessage());
        }
        String encoding = binary ? "binary-extension (" + body.headerLength() + "-byte JSON header)" : "JSON";
        URI infer = LoadGenerator.modelUri(url, model, version, "/infer");
        Duration warm = Duration.ofMillis((long) (warmup * 1000));
        Duration measure = Duration.ofMillis((long) (seconds * 1000));
        return sweep(infer.toString(), body.bytes().length + "-byte " + encoding + " requests", "closed loop on " + loops + " event-loop thread(s)", arrivals,
                r -> gen.runRate(infer, body, r, arrivals, seed, maxOutstanding, warm, measure),
                c -> gen.run(infer, body, c, loops, warm, measure));
    }

    /** The sweep over gRPC: the same request (random from the metadata, or --input) as raw input contents. */
    private Integer callGrpc(LoadGenerator.Arrivals arrivals, int loops) throws Exception {
        if (binary) throw new UsageException("--binary is for HTTP; gRPC always sends raw binary input contents");
        if (threads != null) throw new UsageException("--threads is for HTTP's event loops; gRPC calls share one channel's transport threads");
        String target = url == null ? "127.0.0.1:8001" : url.replaceFirst("^(grpc|http)://", "").replaceAll("/+$", "");
        if (!target.matches("[^/\\s]+:\\d+")) throw new UsageException("--url for gRPC must be host:port, got '" + url + "'");
        try (GrpcLoad gen = new GrpcLoad(target)) {
            byte[] json;
            if (input != null) {
                if (!Files.isRegularFile(input)) throw new UsageException("--input " + input + " is not a file");
                json = Files.readAllBytes(input);
            } else {
                json = LoadGenerator.randomRequest(gen.metadata(model, version), batch, seed);
            }
            ModelInferRequest request;
            try {
                request = GrpcLoad.request(json, model, version);
            } catch (IOException | IllegalArgumentException e) {
                throw new UsageException("cannot make a gRPC ModelInfer request of " + (input != null ? input : "the request") + ": " + e.getMessage());
            }
            Duration warm = Duration.ofMillis((long) (warmup * 1000));
            Duration measure = Duration.ofMillis((long) (seconds * 1000));
            return sweep("grpc://" + target + " ModelInfer(" + model + ")", request.getSerializedSize() + "-byte gRPC requests (raw input contents)",
                    "closed loop on one HTTP/2 channel", arrivals,
                    r -> gen.runRate(request, r, arrivals, seed, maxOutstanding, warm, measure),
                    c -> gen.run(request, c, warm, measure));
        }
    }

    private interface RateRun {
        LoadGenerator.RateStep run(double rate) throws Exception;
    }

    private interface ConcurrencyRun {
        LoadGenerator.Step run(int concurrency) throws Exception;
    }

    /** Runs the steps asked for and prints, writes and plots them. */
    private Integer sweep(String where, String what, String closedLoop, LoadGenerator.Arrivals arrivals, RateRun rateRun, ConcurrencyRun concurrencyRun)
            throws Exception {
        List<String> rows = new ArrayList<>();
        List<double[]> points = new ArrayList<>();  // x, throughput, p50, p99
        String xName;
        if (requestRate != null) {
            xName = "request rate (requests/s, " + arrivals.name().toLowerCase(Locale.ROOT) + " arrivals)";
            System.out.printf(Locale.ROOT, "%s, %s, open loop (%s arrivals), %.0f s per step after %.0f s warm-up%n",
                    where, what, arrivals.name().toLowerCase(Locale.ROOT), seconds, warmup);
            System.out.printf(Locale.ROOT, "%10s %10s %10s %8s %12s %9s %9s %9s %9s %7s%n", "rate/s", "sent/s", "requests", "failed",
                    "infer/s", "p50 ms", "p90 ms", "p95 ms", "p99 ms", "late");
            rows.add("request_rate,sent_rate,requests,failed,throughput_per_s,p50_ms,p90_ms,p95_ms,p99_ms,late_sends");
            for (double r : requestRate) {
                LoadGenerator.RateStep s = rateRun.run(r);
                System.out.printf(Locale.ROOT, "%10.1f %10.1f %10d %8d %12.1f %9.2f %9.2f %9.2f %9.2f %7d%n", s.requestRate(), s.sentRate(),
                        s.requests(), s.failed(), s.throughput() * batch, s.p50(), s.p90(), s.p95(), s.p99(), s.lateSends());
                rows.add(String.format(Locale.ROOT, "%.2f,%.2f,%d,%d,%.2f,%.3f,%.3f,%.3f,%.3f,%d", s.requestRate(), s.sentRate(), s.requests(),
                        s.failed(), s.throughput() * batch, s.p50(), s.p90(), s.p95(), s.p99(), s.lateSends()));
                points.add(new double[] {r, s.throughput() * batch, s.p50(), s.p99()});
            }
        } else {
            List<Integer> steps = concurrency != null ? concurrency : List.of(1, 8, 32);
            xName = "concurrency (clients, closed loop)";
            System.out.printf(Locale.ROOT, "%s, %s, %s, %.0f s per step after %.0f s warm-up%n", where, what, closedLoop, seconds, warmup);
            System.out.printf(Locale.ROOT, "%11s %10s %8s %12s %9s %9s %9s %9s %12s%n", "concurrency", "requests", "failed", "infer/s",
                    "p50 ms", "p90 ms", "p95 ms", "p99 ms", "perf cpu us");
            rows.add("concurrency,requests,failed,throughput_per_s,p50_ms,p90_ms,p95_ms,p99_ms,client_cpu_us_per_request");
            for (int c : steps) {
                LoadGenerator.Step s = concurrencyRun.run(c);
                System.out.printf(Locale.ROOT, "%11d %10d %8d %12.1f %9.2f %9.2f %9.2f %9.2f %12.1f%n", s.concurrency(), s.requests(), s.failed(),
                        s.throughput() * batch, s.p50(), s.p90(), s.p95(), s.p99(), s.clientCpuMicros());
                rows.add(String.format(Locale.ROOT, "%d,%d,%d,%.2f,%.3f,%.3f,%.3f,%.3f,%.2f", s.concurrency(), s.requests(), s.failed(),
                        s.throughput() * batch, s.p50(), s.p90(), s.p95(), s.p99(), s.clientCpuMicros()));
                points.add(new double[] {c, s.throughput() * batch, s.p50(), s.p99()});
            }
        }
        if (csv != null) writeAtomically(csv, String.join("\n", rows) + "\n");
        if (plot != null) sweepChart(model, xName, points).writePng(plot);
        return 0;
    }

    /** Throughput on the left axis, p50 and p99 latency on the right, one point per step. */
    static LineChart sweepChart(String model, String xName, List<double[]> points) {
        int n = points.size();
        double[] x = new double[n], thr = new double[n], p50 = new double[n], p99 = new double[n];
        for (int i = 0; i < n; i++) {
            double[] p = points.get(i);
            x[i] = p[0];
            thr[i] = p[1];
            p50[i] = p[2];
            p99[i] = p[3];
        }
        return new LineChart("sinter perf: " + model).xLabel(xName).yLabel("throughput (inferences/s)").y2Label("latency (ms)")
                .add("throughput", x, thr).add("p50 latency", x, p50, LineChart.Axis.RIGHT).add("p99 latency", x, p99, LineChart.Axis.RIGHT);
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
