package org.sinter.bench;

import java.util.Arrays;
import java.util.Locale;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.models.Lab1Cnn;
import org.sinter.cli.models.LeNet5;
import org.sinter.cli.models.Mlp;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;

/**
 * Sinter side of {@code bench/train_step.sh}: median time of one training step (zero grad,
 * forward, loss, backward, SGD-momentum step) for the reference models, printed as one JSON line
 * per model in the same format as {@code bench/train_step.py}.
 *
 * <p>Usage: {@code TrainStepBench [--models mlp,lenet5] [--threads 2] [--steps 100] [--warmup 50] [--profile] [--compile]}
 * ({@code --compile}: forward, backward and the update run as one compiled graph, {@code CompiledTrainingStep})
 */
public final class TrainStepBench {
    public static void main(String[] args) {
        String models = "mlp,lenet5";
        int threads = 2, steps = 100, warmup = 50;
        boolean profile = false;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--models" -> models = args[i + 1];
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--profile" -> { profile = true; i--; }
                case "--compile" -> { compile = true; i--; }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Sinter.setNumThreads(threads);
        for (String m : models.split(",")) System.out.println(bench(m, threads, steps, warmup, profile));
    }

    private static boolean compile;

    static String bench(String name, int threads, int steps, int warmup, boolean profile) {
        int batch = switch (name) {
            case "mlp" -> 128;
            case "lenet5", "lab1cnn" -> 64;
            default -> throw new IllegalArgumentException("unknown model " + name);
        };
        // Warm the JIT on a throwaway model, then time the first steps of a fresh one, as the
        // PyTorch side does: training on one fixed batch drives the loss toward zero, and the
        // time of late steps depends on those values rather than on the code.
        run(name, batch, warmup, null, false);
        double[] times = new double[steps];
        run(name, batch, steps, times, profile);
        Arrays.sort(times);
        double median = steps % 2 == 1 ? times[steps / 2] : (times[steps / 2 - 1] + times[steps / 2]) / 2;
        return String.format(Locale.ROOT,
                "{\"model\": \"%s\", \"compiled\": " + compile + ", \"batch\": %d, \"threads\": %d, \"median_ms\": %.4f, \"p10_ms\": %.4f, \"p90_ms\": %.4f, \"steps\": %d}",
                name, batch, threads, median, times[(int) (0.1 * steps)], times[Math.min(steps - 1, (int) (0.9 * steps))], steps);
    }

    /** Trains a freshly seeded model for {@code steps} steps, recording each step's time when {@code times} is given. */
    private static void run(String name, int batch, int steps, double[] times, boolean profile) {
        Sinter.manualSeed(0);
        Module model = switch (name) {
            case "mlp" -> new Mlp();
            case "lenet5" -> new LeNet5();
            default -> new Lab1Cnn();
        };
        SGD opt = new SGD(model.parameters(), SGD.options().lr(0.01).momentum(0.9));
        Tensor x = Tensor.randn(batch, 1, 28, 28);
        Tensor y = Tensor.randint(0, 10, batch);
        org.sinter.profiler.Profiler prof = profile ? org.sinter.profiler.Profiler.start() : null;
        // Compiled: forward, backward and the SGD update as one graph (the update is its last node).
        var compiled = compile ? new org.sinter.compiler.CompiledTrainingStep(model, name.equals("lab1cnn") ? F::nllLoss : F::crossEntropy,
                opt, org.sinter.compiler.CompileOptions.defaults()) : null;
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            if (compiled != null) {
                compiled.step(x, y); // traced and compiled on the first (warm-up) step
            } else {
                opt.zeroGrad();
                Tensor out = model.forward(x);
                Tensor loss = name.equals("lab1cnn") ? F.nllLoss(out, y) : F.crossEntropy(out, y);
                loss.backward();
                opt.step();
            }
            long t1 = System.nanoTime();
            if (times != null) times[i] = (t1 - t0) / 1e6;
        }
        if (prof != null) {
            prof.close();
            System.err.println(prof.keyAverages().table("self_cpu_time_total", 30));
        }
    }
}
