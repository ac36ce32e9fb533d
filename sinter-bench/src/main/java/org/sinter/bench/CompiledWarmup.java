package org.sinter.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.models.Gpt;
import org.sinter.cli.models.Lab1Cnn;
import org.sinter.cli.models.LeNet5;
import org.sinter.cli.models.Mlp;
import org.sinter.cli.models.ResNet18;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.kernels.Parallel;
import org.sinter.nn.Module;
import org.sinter.profiler.KeyAverages;
import org.sinter.profiler.Profiler;

/**
 * How a compiled inference model's latency settles as the JIT warms: runs one zoo model (the
 * shapes of {@link OnnxRuntimeBench}) for {@code --seconds} and prints the median latency of each
 * second, so a benchmark's warm-up can be sized and a profiler (JFR) can sample the steady state;
 * {@code --profile N} then runs N more calls under Sinter's {@link Profiler} and prints its table
 * (the compiled program's steps, by self time).
 *
 * <p>Usage: {@code CompiledWarmup --model mlp|lenet5|lab1cnn|resnet18_b1|resnet18_b16|gpt_b1|gpt_b16
 * [--threads 2] [--seconds 20] [--profile 0] [--onnx FILE]} ({@code --onnx}: the model's exported file
 * imported instead of the zoo model compiled)
 */
public final class CompiledWarmup {
    public static void main(String[] args) {
        String model = "mlp";
        int threads = 2;
        double seconds = 20;
        int profiled = 0;
        String onnx = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--model" -> model = args[i + 1];
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--profile" -> profiled = Integer.parseInt(args[i + 1]);
                case "--onnx" -> onnx = args[i + 1];
                default -> throw new IllegalArgumentException("CompiledWarmup: unknown option " + args[i]);
            }
        }
        Sinter.setNumThreads(threads);
        Parallel.setNumThreads(threads);
        Sinter.manualSeed(0);
        Gpt.Config gpt = new Gpt.Config(96, 64, 128, 4, 4, 0, true);
        record Spec(int[] shape, Supplier<Module> model, int vocab) {}
        Spec spec = switch (model) {
            case "mlp" -> new Spec(new int[] {128, 1, 28, 28}, Mlp::new, 0);
            case "lenet5" -> new Spec(new int[] {64, 1, 28, 28}, LeNet5::new, 0);
            case "lab1cnn" -> new Spec(new int[] {64, 1, 28, 28}, Lab1Cnn::new, 0);
            case "resnet18_b1" -> new Spec(new int[] {1, 3, 224, 224}, () -> new ResNet18(3, 1000), 0);
            case "resnet18_b16" -> new Spec(new int[] {16, 3, 224, 224}, () -> new ResNet18(3, 1000), 0);
            case "gpt_b1" -> new Spec(new int[] {1, 64}, () -> new Gpt(gpt), 96);
            case "gpt_b16" -> new Spec(new int[] {16, 64}, () -> new Gpt(gpt), 96);
            default -> throw new IllegalArgumentException("CompiledWarmup: unknown model " + model);
        };
        Module m = spec.model().get();
        m.eval();
        Tensor x = spec.vocab() > 0 ? Tensor.randint(0, spec.vocab(), spec.shape()) : Tensor.randn(spec.shape());
        // --onnx FILE: the same model's exported file, imported (the model's input shape, random weights unused).
        java.util.function.Function<Tensor, Tensor[]> f;
        if (onnx == null) {
            CompiledFunction c = Compiler.compile(m, CompileOptions.defaults().withFrozenParameters());
            f = c::call;
        } else {
            org.sinter.onnx.OnnxModel imported = org.sinter.onnx.OnnxModel.load(java.nio.file.Path.of(onnx));
            f = imported::call;
        }
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int second = 0;
        double[] times = new double[1 << 16];
        try (var _ = Sinter.noGrad()) {
            while (System.nanoTime() < end) {
                long windowEnd = System.nanoTime() + 1_000_000_000L;
                int n = 0;
                while (System.nanoTime() < windowEnd && n < times.length) {
                    long t0 = System.nanoTime();
                    f.apply(x);
                    times[n++] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(times, 0, n);
                System.out.printf(Locale.ROOT, "%s second %3d: %6d runs, median %.3f ms, min %.3f ms%n",
                        model, ++second, n, times[n / 2], times[0]);
            }
            if (profiled > 0) {
                // Fork/joins per call, counted without the profiler, then the profile.
                long regions = Parallel.regionsStarted();
                for (int i = 0; i < profiled; i++) f.apply(x);
                System.out.printf(Locale.ROOT, "%s: %.1f parallel regions (fork/joins) per call%n", model,
                        (Parallel.regionsStarted() - regions) / (double) profiled);
                Profiler prof = Profiler.start();
                try {
                    for (int i = 0; i < profiled; i++) f.apply(x);
                } finally {
                    prof.close();
                }
                System.out.println(prof.keyAverages(true).table(KeyAverages.SortBy.SELF_CPU_TIME_TOTAL, 40));
            }
        }
    }
}
