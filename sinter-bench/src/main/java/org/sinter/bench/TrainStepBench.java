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
 * <p>Usage: {@code TrainStepBench [--models mlp,lenet5] [--threads 2] [--steps 100] [--warmup 50] [--profile]}
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
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Sinter.setNumThreads(threads);
        for (String m : models.split(",")) System.out.println(bench(m, threads, steps, warmup, profile));
    }

    static String bench(String name, int threads, int steps, int warmup, boolean profile) {
        Sinter.manualSeed(0);
        Module model;
        int batch;
        switch (name) {
            case "mlp" -> { model = new Mlp(); batch = 128; }
            case "lenet5" -> { model = new LeNet5(); batch = 64; }
            case "lab1cnn" -> { model = new Lab1Cnn(); batch = 64; }
            default -> throw new IllegalArgumentException("unknown model " + name);
        }
        SGD opt = new SGD(model.parameters(), SGD.options().lr(0.01).momentum(0.9));
        Tensor x = Tensor.randn(batch, 1, 28, 28);
        Tensor y = Tensor.randint(0, 10, batch);
        double[] times = new double[steps];
        org.sinter.profiler.Profiler prof = null;
        for (int i = 0; i < warmup + steps; i++) {
            if (profile && i == warmup) prof = org.sinter.profiler.Profiler.start();
            long t0 = System.nanoTime();
            opt.zeroGrad();
            Tensor out = model.forward(x);
            Tensor loss = name.equals("lab1cnn") ? F.nllLoss(out, y) : F.crossEntropy(out, y);
            loss.backward();
            opt.step();
            long t1 = System.nanoTime();
            if (i >= warmup) times[i - warmup] = (t1 - t0) / 1e6;
        }
        if (prof != null) {
            prof.close();
            System.err.println(prof.keyAverages().table("self_cpu_time_total", 30));
        }
        Arrays.sort(times);
        double median = steps % 2 == 1 ? times[steps / 2] : (times[steps / 2 - 1] + times[steps / 2]) / 2;
        return String.format(Locale.ROOT,
                "{\"model\": \"%s\", \"batch\": %d, \"threads\": %d, \"median_ms\": %.4f, \"p10_ms\": %.4f, \"p90_ms\": %.4f, \"steps\": %d}",
                name, batch, threads, median, times[(int) (0.1 * steps)], times[Math.min(steps - 1, (int) (0.9 * steps))], steps);
    }
}
