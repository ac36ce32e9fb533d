package org.sinter.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.autotune.apply.ApplyHistoryBest;
import org.sinter.cli.models.Gpt;
import org.sinter.cli.models.Lab1Cnn;
import org.sinter.cli.models.LeNet5;
import org.sinter.cli.models.Mlp;
import org.sinter.cli.models.ResNet18;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.compiler.codegen.TunedKernels;
import org.sinter.kernels.Parallel;
import org.sinter.nn.Module;

/**
 * Inference latency, compiled Sinter beside ONNX Runtime on the same architectures and input shapes
 * (ONNX files from {@code bench/onnx_export.py}), same intra-op thread count, alternating round by
 * round: each round times {@code --iters} runs of each side after a warm-up and keeps the median;
 * the first round warms each side for at least {@code --warmup} seconds, later rounds for
 * {@code --round-warmup} seconds ({@link OrtSideBySide#median}, {@link OrtSideBySide#ROUND_WARMUP_SECONDS}).
 * Sinter compiles with frozen parameters (ONNX Runtime treats initializers as constants too).
 * Image models take float32 images; the GPT takes int64 token ids.
 *
 * With {@code --tuning-log FILE} each round also times the model compiled with the auto-tuner's best
 * logged kernels ({@link ApplyHistoryBest}; workloads the log lacks keep the built-in kernels), as a
 * third column beside the built-in compile and ONNX Runtime.
 *
 * <p>Usage: {@code OnnxRuntimeBench --dir DIR [--threads 2] [--iters 50] [--rounds 3] [--warmup 5] [--round-warmup 0.25] [--models mlp,lenet5,...] [--tuning-log FILE]}
 */
public final class OnnxRuntimeBench {
    /** {@code vocab} 0: a float32 input drawn N(0, 1); else int64 token ids below it. */
    private record Case(String name, int[] shape, java.util.function.Supplier<Module> model, int vocab) {
        Case(String name, int[] shape, java.util.function.Supplier<Module> model) {
            this(name, shape, model, 0);
        }
    }

    /** bench/onnx_export.py's GPT_SIZES: 4 blocks, d=128, 4 heads, context 64, vocabulary 96. */
    private static final Gpt.Config GPT = new Gpt.Config(96, 64, 128, 4, 4, 0, true);

    private static final List<Case> CASES = List.of(
            new Case("mlp", new int[] {128, 1, 28, 28}, Mlp::new),
            new Case("lenet5", new int[] {64, 1, 28, 28}, LeNet5::new),
            new Case("lab1cnn", new int[] {64, 1, 28, 28}, Lab1Cnn::new),
            new Case("resnet18_b1", new int[] {1, 3, 224, 224}, () -> new ResNet18(3, 1000)),
            new Case("resnet18_b16", new int[] {16, 3, 224, 224}, () -> new ResNet18(3, 1000)),
            new Case("gpt_b1", new int[] {1, GPT.context()}, () -> new Gpt(GPT), GPT.vocab()),
            new Case("gpt_b16", new int[] {16, GPT.context()}, () -> new Gpt(GPT), GPT.vocab()));

    public static void main(String[] args) throws OrtException {
        Path dir = null;
        int threads = 2, iters = 50, rounds = 3;
        double warmupSeconds = 5, roundWarmupSeconds = OrtSideBySide.ROUND_WARMUP_SECONDS;
        List<String> models = CASES.stream().map(Case::name).toList();
        Path tuningLog = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--iters" -> iters = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmupSeconds = Double.parseDouble(args[i + 1]);
                case "--round-warmup" -> roundWarmupSeconds = Double.parseDouble(args[i + 1]);
                case "--models" -> models = List.of(args[i + 1].split(","));
                case "--tuning-log" -> tuningLog = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dir == null) throw new IllegalArgumentException("--dir: the directory bench/onnx_export.py wrote");
        Sinter.setNumThreads(threads);
        Parallel.setNumThreads(threads);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        TunedKernels tunedKernels = tuningLog == null ? null : ApplyHistoryBest.load(tuningLog);
        if (tunedKernels == null) System.out.printf("%-14s %5s %12s %12s %12s%n", "model", "round", "sinter ms", "ort ms", "sinter/ort");
        else System.out.printf("%-14s %5s %12s %12s %12s %12s %12s%n", "model", "round", "sinter ms", "ort ms", "sinter/ort", "tuned ms", "tuned/ort");
        for (Case c : CASES) {
            if (!models.contains(c.name())) continue;
            Sinter.manualSeed(0);
            Module m = c.model().get();
            m.eval();
            Tensor x = c.vocab() > 0 ? Tensor.randint(0, c.vocab(), c.shape()) : Tensor.randn(c.shape());
            CompiledFunction f = Compiler.compile(m, CompileOptions.defaults().withFrozenParameters());
            CompiledFunction tuned = null;
            if (tunedKernels != null) {
                try (var _ = TunedKernels.use(tunedKernels)) {
                    tuned = Compiler.compile(m, CompileOptions.defaults().withFrozenParameters());
                }
            }
            try (OrtSession.SessionOptions so = OrtSideBySide.sessionOptions(threads)) {
                try (OrtSession session = env.createSession(dir.resolve(c.name() + ".onnx").toString(), so);
                     OnnxTensor input = OrtSideBySide.ortTensor(env, x)) {
                    List<double[]> rows = new ArrayList<>();
                    int warm = Math.max(5, iters / 5);
                    for (int r = 0; r < rounds; r++) {
                        double s, o, t = Double.NaN;
                        double warmFor = r == 0 ? warmupSeconds : roundWarmupSeconds;
                        try (var _ = Sinter.noGrad()) {
                            s = OrtSideBySide.median(() -> f.call(x), warm, warmFor, iters);
                        }
                        o = OrtSideBySide.median(OrtSideBySide.ortRun(session, input), warm, warmFor, iters);
                        if (tuned != null) {
                            CompiledFunction ft = tuned;
                            try (var _ = Sinter.noGrad()) {
                                t = OrtSideBySide.median(() -> ft.call(x), warm, warmFor, iters);
                            }
                        }
                        rows.add(new double[] {s, o, t});
                        if (tuned == null) System.out.printf(Locale.ROOT, "%-14s %5d %12.3f %12.3f %12.2f%n", c.name(), r + 1, s, o, s / o);
                        else System.out.printf(Locale.ROOT, "%-14s %5d %12.3f %12.3f %12.2f %12.3f %12.2f%n", c.name(), r + 1, s, o, s / o, t, t / o);
                    }
                    double ms = OrtSideBySide.medianOf(rows, 0), mo = OrtSideBySide.medianOf(rows, 1);
                    double ratio = OrtSideBySide.medianOfRatios(rows);
                    if (tuned == null) System.out.printf(Locale.ROOT, "%-14s %5s %12.3f %12.3f %12.2f%n", c.name(), "med", ms, mo, ratio);
                    else System.out.printf(Locale.ROOT, "%-14s %5s %12.3f %12.3f %12.2f %12.3f %12.2f%n", c.name(), "med", ms, mo, ratio,
                            OrtSideBySide.medianOf(rows, 2), OrtSideBySide.medianOfRatios(rows, 2, 1));
                }
            }
        }
    }
}
