package org.sinter.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.kernels.Parallel;
import org.sinter.onnx.OnnxModel;

/**
 * Imported-model latency: the same {@code .onnx} file run by Sinter ({@link OnnxModel}: imported,
 * traced into the compiler's IR, optimised, fused) and by ONNX Runtime, on the same input and
 * thread count, alternating rounds (each: a warm-up, then the median of {@code --iters} runs; the
 * first round warms each side for at least {@code --warmup} seconds, {@link OrtSideBySide#median}).
 * Prints both medians, the median ratio Sinter/ONNX Runtime (the bar: <= 1.0), and the
 * largest difference between the two outputs.
 *
 * <pre>OnnxImportBench --dir DIR --threads 2 --iters 50 --rounds 3 --warmup 5 --round-warmup 0.25 --models mlp,lenet5,...</pre>
 */
public final class OnnxImportBench {
    private OnnxImportBench() {}

    /** A model file of bench/onnx_export.py; {@code vocab} > 0: its input is token ids below it. */
    private record Case(String name, int vocab) {}

    private static final List<Case> CASES = List.of(new Case("mlp", 0), new Case("lenet5", 0), new Case("lab1cnn", 0), new Case("resnet18_b1", 0),
            new Case("resnet18_b16", 0), new Case("gpt_b1", 96), new Case("gpt_b16", 96));

    public static void main(String[] args) throws OrtException {
        Path dir = null;
        int threads = 2, iters = 50, rounds = 3;
        double warmupSeconds = 5, roundWarmupSeconds = OrtSideBySide.ROUND_WARMUP_SECONDS;
        List<String> models = CASES.stream().map(Case::name).toList();
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--iters" -> iters = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmupSeconds = Double.parseDouble(args[i + 1]);
                case "--round-warmup" -> roundWarmupSeconds = Double.parseDouble(args[i + 1]);
                case "--models" -> models = List.of(args[i + 1].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dir == null) throw new IllegalArgumentException("--dir: the directory bench/onnx_export.py wrote");
        Sinter.setNumThreads(threads);
        Parallel.setNumThreads(threads);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.printf("%-14s %5s %12s %12s %12s %12s%n", "model", "round", "sinter ms", "ort ms", "sinter/ort", "max |diff|");
        for (Case c : CASES) {
            if (!models.contains(c.name())) continue;
            Sinter.manualSeed(0);
            String file = dir.resolve(c.name() + ".onnx").toString();
            OnnxModel model = OnnxModel.load(Path.of(file));
            // The input as the file declares it (all of bench/onnx_export.py's models have static shapes).
            int[] shape = model.inputs().get(0).shape().stream().mapToInt(d -> (int) d.size()).toArray();
            Tensor x = c.vocab() > 0 ? Tensor.randint(0, c.vocab(), shape) : Tensor.randn(shape);
            try (OrtSession.SessionOptions so = OrtSideBySide.sessionOptions(threads)) {
                try (OrtSession session = env.createSession(file, so); OnnxTensor input = OrtSideBySide.ortTensor(env, x)) {
                    double diff = maxDiff(model.call(x)[0], session, input);
                    List<double[]> rows = new ArrayList<>();
                    int warm = Math.max(5, iters / 5);
                    for (int r = 0; r < rounds; r++) {
                        double s;
                        double warmFor = r == 0 ? warmupSeconds : roundWarmupSeconds;
                        try (var _ = Sinter.noGrad()) {
                            s = OrtSideBySide.median(() -> model.call(x), warm, warmFor, iters);
                        }
                        double o = OrtSideBySide.median(OrtSideBySide.ortRun(session, input), warm, warmFor, iters);
                        rows.add(new double[] {s, o});
                        System.out.printf(Locale.ROOT, "%-14s %5d %12.3f %12.3f %12.2f%n", c.name(), r + 1, s, o, s / o);
                    }
                    System.out.printf(Locale.ROOT, "%-14s %5s %12.3f %12.3f %12.2f %12.2e%n", c.name(), "med", OrtSideBySide.medianOf(rows, 0),
                            OrtSideBySide.medianOf(rows, 1), OrtSideBySide.medianOfRatios(rows), diff);
                }
            }
        }
    }

    private static double maxDiff(Tensor sinter, OrtSession session, OnnxTensor input) throws OrtException {
        try (OrtSession.Result out = session.run(Map.of("x", input))) {
            float[] ort = ((OnnxTensor) out.get(0)).getFloatBuffer().array();
            float[] s = sinter.to(DType.FLOAT32).toFloatArray();
            double d = 0;
            for (int i = 0; i < s.length; i++) d = Math.max(d, Math.abs(s[i] - ort[i]));
            return d;
        }
    }
}
