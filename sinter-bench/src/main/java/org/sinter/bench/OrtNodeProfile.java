package org.sinter.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sinter.Tensor;

/**
 * Where ONNX Runtime spends an inference, node by node: runs one exported model with ORT's own
 * profiler on (the session options of {@link OnnxRuntimeBench}), drops the warm-up runs, and prints
 * each node's median kernel time, its operator and share, in execution order — the table to lay beside
 * Sinter's {@code CompiledWarmup --profile} when a model's ratio is above 1.
 *
 * <p>Usage: {@code OrtNodeProfile --onnx FILE [--threads 2] [--warmup 30] [--iters 50] [--vocab 96]}; the input is
 * random float32 of the model's declared shape (named {@code x}, as {@code bench/onnx_export.py} writes).
 */
public final class OrtNodeProfile {
    // ORT writes one event per line; a node's kernel event carries its duration, name and operator.
    private static final Pattern EVENT = Pattern.compile(
            "\"cat\" *: *\"Node\".*?\"dur\" *:(\\d+).*?\"name\" *:\"([^\"]+)_kernel_time\".*\"op_name\" *: *\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String file = null;
        int threads = 2, warmup = 30, iters = 50, vocab = 96;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--onnx" -> file = args[i + 1];
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--vocab" -> vocab = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--iters" -> iters = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("OrtNodeProfile: unknown option " + args[i]);
            }
        }
        if (file == null) throw new IllegalArgumentException("OrtNodeProfile: --onnx FILE is required");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path prefix = Files.createTempDirectory("ort-profile").resolve("trace");
        String trace;
        try (OrtSession.SessionOptions so = OrtSideBySide.sessionOptions(threads)) {
            so.enableProfiling(prefix.toString());
            try (OrtSession session = env.createSession(file, so)) {
                ai.onnxruntime.TensorInfo info = session.getInputInfo().get("x").getInfo() instanceof ai.onnxruntime.TensorInfo ti ? ti : null;
                if (info == null) throw new IllegalArgumentException("OrtNodeProfile: " + file + " has no tensor input named x");
                int[] dims = Arrays.stream(info.getShape()).mapToInt(d -> (int) d).toArray();
                // A language model's token ids (int64): ids below --vocab; anything else, N(0, 1) floats.
                Tensor x = info.type == ai.onnxruntime.OnnxJavaType.INT64
                        ? Tensor.randint(0, vocab, dims) : Tensor.randn(dims);
                try (OnnxTensor input = OrtSideBySide.ortTensor(env, x)) {
                    Runnable run = OrtSideBySide.ortRun(session, input);
                    long t0 = System.nanoTime();
                    for (int i = 0; i < warmup + iters; i++) run.run();
                    System.out.printf(Locale.ROOT, "%d runs in %.1f ms (profiler on)%n", warmup + iters, (System.nanoTime() - t0) / 1e6);
                }
                trace = Files.readString(Path.of(session.endProfiling()));
            }
        }
        // Each node appears once per run, in execution order: keep the runs after the warm-up.
        Map<String, String> opOf = new LinkedHashMap<>();
        Map<String, List<Long>> durs = new LinkedHashMap<>();
        for (String line : trace.split("\n")) {
            Matcher m = EVENT.matcher(line);
            if (!m.find()) continue;
            opOf.putIfAbsent(m.group(2), m.group(3));
            durs.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(Long.parseLong(m.group(1)));
        }
        if (durs.isEmpty()) throw new IllegalStateException("OrtNodeProfile: no node events in ORT's trace");
        double total = 0;
        Map<String, Double> median = new LinkedHashMap<>();
        for (var e : durs.entrySet()) {
            List<Long> all = e.getValue();
            long[] kept = all.subList(Math.min(warmup, all.size() - 1), all.size()).stream().mapToLong(Long::longValue).sorted().toArray();
            double med = kept[kept.length / 2] / 1000.0;
            median.put(e.getKey(), med);
            total += med;
        }
        System.out.printf(Locale.ROOT, "%-48s %-22s %10s %7s%n", "node", "op", "median ms", "share");
        Map<String, Double> byOp = new LinkedHashMap<>();
        for (var e : median.entrySet()) {
            String op = opOf.get(e.getKey());
            byOp.merge(op, e.getValue(), Double::sum);
            System.out.printf(Locale.ROOT, "%-48s %-22s %10.3f %6.1f%%%n", e.getKey(), op, e.getValue(), 100 * e.getValue() / total);
        }
        System.out.printf(Locale.ROOT, "%-48s %-22s %10.3f%n", "sum of node medians", "", total);
        for (var e : byOp.entrySet()) System.out.printf(Locale.ROOT, "  %-22s %10.3f ms%n", e.getKey(), e.getValue());
    }
}
