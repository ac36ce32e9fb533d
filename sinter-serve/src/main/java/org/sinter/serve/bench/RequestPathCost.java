package org.sinter.serve.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.LogSoftmax;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.serve.config.ModelConfig;
import org.sinter.serve.http.InferRequest;
import org.sinter.serve.http.InferRequestParser;
import org.sinter.serve.http.InferResponseWriter;
import org.sinter.serve.http.InferenceService;
import org.sinter.serve.repository.LoadedVersion;

/**
 * Where one inference request's CPU time goes inside the server, stage by stage, for issue 12's
 * dynamic-batching bar: parsing the JSON body (and the binary extension's), the forward at batch 1
 * and per sample at batch 32, gathering 32 requests into one batch tensor and splitting the outputs,
 * and writing the JSON answer. Each stage runs in a loop on one thread and is timed in that thread's
 * CPU time (not wall time), so other processes on a shared machine inflate it less; the median of
 * several rounds is printed after a warm-up long enough for the JIT.
 *
 * <pre>java ... org.sinter.serve.bench.RequestPathCost [mlp|lab1cnn] [rounds=7] [threads]</pre>
 *
 * The models are sinter-cli's zoo entries of the same names, built here from the same layers (the
 * weights are seeded at random; they do not change the cost).
 */
public final class RequestPathCost {
    private RequestPathCost() {}

    public static void main(String[] args) throws Exception {
        String model = args.length > 0 ? args[0] : "mlp";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        // Intra-op threads of a forward, as `sinter serve --threads N` (default: all cores).
        if (args.length > 2) Sinter.setNumThreads(Integer.parseInt(args[2]));
        Sinter.manualSeed(1);
        Module m = switch (model) {
            case "mlp" -> new Sequential(new Flatten(), new Linear(784, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10));
            case "lab1cnn" -> new Sequential(new Conv2d(1, 32, 3), new ReLU(), new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
                    new Flatten(), new Linear(9216, 128), new ReLU(), new Linear(128, 10), new LogSoftmax(1));
            default -> throw new IllegalArgumentException("model must be mlp or lab1cnn, got " + model);
        };
        m.eval();
        ModelConfig config = ModelConfig.parse(model, new ObjectMapper().readTree("""
                {"platform": "sinter", "model": "%s", "max_batch_size": 32, "dynamic_batching": {},
                 "input": [{"name": "image", "datatype": "FP32", "shape": [1, 28, 28]}],
                 "output": [{"name": "scores", "datatype": "FP32", "shape": [10]}]}""".formatted(model)));
        // The request sinter perf and wrk send in bench/serve_wrk.sh: one image of random pixels.
        SplittableRandom rnd = new SplittableRandom(7);
        float[] pixels = new float[784];
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = Math.round(rnd.nextDouble() * 1e6) / 1e6f;
            data.append(i == 0 ? "" : ", ").append(pixels[i]);
        }
        byte[] json = ("{\"inputs\": [{\"name\": \"image\", \"datatype\": \"FP32\", \"shape\": [1, 1, 28, 28], \"data\": [" + data + "]}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] header = "{\"inputs\": [{\"name\": \"image\", \"datatype\": \"FP32\", \"shape\": [1, 1, 28, 28], \"parameters\": {\"binary_data_size\": 3136}}]}"
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer bin = ByteBuffer.allocate(header.length + 3136).order(ByteOrder.LITTLE_ENDIAN);
        bin.put(header);
        for (float p : pixels) bin.putFloat(p);
        byte[] binary = bin.array();
        InferRequestParser parser = new InferRequestParser(1 << 24);
        Tensor one = Tensor.of(pixels, 1, 1, 28, 28);
        List<Tensor> many = new ArrayList<>();
        for (int i = 0; i < 32; i++) many.add(one);
        Tensor batch = Tensor.cat(many, 0);
        InferRequest parsed = parser.parse(json, -1, config);
        Tensor[] answer;
        try (var _ = Sinter.noGrad()) {
            answer = new Tensor[] {m.forward(one)};
        }
        InferenceService.Result result = new InferenceService.Result(new LoadedVersion(model, 1, config, null), parsed, answer);

        Stage[] stages = {
            new Stage("parse JSON request (784 numbers)", 1, () -> parser.parse(json, -1, config)),
            new Stage("parse binary-extension request", 1, () -> parser.parse(binary, header.length, config)),
            new Stage("forward, batch 1", 1, () -> forward(m, one)),
            new Stage("forward, batch 32 (per sample)", 32, () -> forward(m, batch)),
            new Stage("gather 32 inputs + split outputs (per sample)", 32, () -> {
                Tensor cat = Tensor.cat(many, 0);
                Tensor out = Tensor.zeros(32, 10);
                for (int i = 0; i < 32; i++) out.narrow(0, i, 1).contiguous();
                return cat;
            }),
            new Stage("write JSON answer (10 numbers)", 1, () -> InferResponseWriter.write(result)),
        };
        // The forward per sample at the batch sizes a loaded batcher forms (mean batch 15-22 in
        // bench/serve_batching.sh), eager and through the graph compiler (platform sinter-compiled,
        // one program per batch size, as CompiledRunner keeps them, with frozen parameters as it compiles).
        CompiledFunction compiled = Compiler.compile(m, org.sinter.compiler.CompileOptions.defaults().withFrozenParameters());
        List<Stage> sweep = new ArrayList<>(List.of(stages));
        for (int b : new int[] {1, 8, 15, 16, 24, 32}) {
            Tensor x = Tensor.cat(many.subList(0, b), 0);
            sweep.add(new Stage("forward, eager, batch " + b + " (per sample)", b, () -> forward(m, x)));
            sweep.add(new Stage("forward, compiled, batch " + b + " (per sample)", b, () -> {
                try (var _ = Sinter.noGrad()) {
                    return compiled.call(new Tensor[] {x});
                }
            }));
        }
        // What a loaded batcher really runs: a different batch size on every call (here 12..28 in
        // turn, mean 20), so every size's program, and its packed weights, takes its turn.
        int[] sizes = java.util.stream.IntStream.rangeClosed(12, 28).toArray();
        Tensor[] mixed = new Tensor[sizes.length];
        for (int i = 0; i < sizes.length; i++) mixed[i] = Tensor.cat(many.subList(0, sizes[i]), 0);
        sweep.add(new Stage("forward, compiled, batches 12..28 in turn (per sample)", java.util.Arrays.stream(sizes).sum(), () -> {
            Object last = null;
            try (var _ = Sinter.noGrad()) {
                for (Tensor x : mixed) last = compiled.call(new Tensor[] {x});
            }
            return last;
        }));
        stages = sweep.toArray(Stage[]::new);
        System.out.printf(Locale.ROOT, "model %s; CPU microseconds per request (median of %d rounds, one thread)%n", model, rounds);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] costs = new double[stages.length][rounds];
        for (int s = 0; s < stages.length; s++) stages[s].loop(mx, 2.0); // warm-up: JIT
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < stages.length; s++) costs[s][r] = stages[s].loop(mx, 0.5);
        }
        for (int s = 0; s < stages.length; s++) {
            double[] c = costs[s].clone();
            Arrays.sort(c);
            System.out.printf(Locale.ROOT, "%-48s %10.1f%n", stages[s].name, c[c.length / 2]);
        }
    }

    private static Tensor forward(Module m, Tensor x) {
        try (var _ = Sinter.noGrad()) {
            return m.forward(x);
        }
    }

    /** A stage: {@code perCall} requests' worth of work per call. */
    private record Stage(String name, int perCall, java.util.concurrent.Callable<Object> work) {
        /** Runs for about {@code seconds} of CPU time; returns CPU microseconds per request. */
        double loop(ThreadMXBean mx, double seconds) throws Exception {
            long budget = (long) (seconds * 1e9);
            long t0 = mx.getCurrentThreadCpuTime();
            long calls = 0;
            Object sink = null;
            while (mx.getCurrentThreadCpuTime() - t0 < budget) {
                for (int i = 0; i < 8; i++) sink = work.call();
                calls += 8;
            }
            long used = mx.getCurrentThreadCpuTime() - t0;
            if (sink == null) throw new IllegalStateException(name + " returned nothing");
            return used / 1e3 / (calls * perCall);
        }
    }
}
