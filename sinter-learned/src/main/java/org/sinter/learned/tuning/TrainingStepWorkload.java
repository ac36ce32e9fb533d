package org.sinter.learned.tuning;

import java.util.Locale;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Dropout;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.LogSoftmax;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;
import org.sinter.optim.Optimizer;

/**
 * The measured job of training-knob tuning: training steps of the course's Lab 1 CNN (or an MLP)
 * with Adam on MNIST-shaped batches, run in the JVM whose flags and properties are the knobs.
 * Prints one line, {@code steps_per_second=X}, from the wall time of the timed steps after a
 * warm-up (the JIT, the GEMM buffers and the heap's steady state). The batches are random: a step's
 * cost does not depend on pixel values, and the job then needs no dataset on disk.
 *
 * <p>{@code TrainingStepWorkload MODEL BATCH THREADS WARMUP STEPS}, MODEL = {@code cnn} or {@code mlp}.
 */
public final class TrainingStepWorkload {
    private TrainingStepWorkload() {}

    /** The Lab 1 network (as {@code ./sinter train --model lab1}); defined here because sinter-cli sits above this module. */
    public static Module model(String name) {
        return switch (name) {
            case "cnn" -> new Sequential(new Conv2d(1, 32, 3), new ReLU(), new Conv2d(32, 64, 3), new ReLU(),
                    new MaxPool2d(2), new Dropout(0.25), new Flatten(), new Linear(9216, 128), new ReLU(), new Dropout(0.5),
                    new Linear(128, 10), new LogSoftmax(1));
            case "mlp" -> new Sequential(new Flatten(), new Linear(784, 512), new ReLU(), new Linear(512, 512), new ReLU(),
                    new Linear(512, 10), new LogSoftmax(1));
            default -> throw new IllegalArgumentException("TrainingStepWorkload: model must be cnn or mlp, got '" + name + "'");
        };
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: TrainingStepWorkload cnn|mlp BATCH THREADS WARMUP STEPS");
            System.exit(2);
        }
        Sinter.manualSeed(1); // before the model: its initial weights come from the global generator
        Module net = model(args[0]);
        int batch = Integer.parseInt(args[1]), threads = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]), steps = Integer.parseInt(args[4]);
        Sinter.setNumThreads(threads);
        Optimizer opt = new Adam(net.parameters(), 1e-3);
        Tensor[] xs = new Tensor[4], ys = new Tensor[4];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Tensor.randn(batch, 1, 28, 28);
            ys[i] = Tensor.randint(0, 10, batch);
        }
        double loss = 0;
        long start = 0;
        for (int s = 0; s < warmup + steps; s++) {
            if (s == warmup) start = System.nanoTime();
            opt.zeroGrad();
            Tensor l = F.nllLoss(net.forward(xs[s % xs.length]), ys[s % ys.length]);
            l.backward();
            opt.step();
            loss = l.item();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!Double.isFinite(loss)) throw new IllegalStateException("TrainingStepWorkload: the loss diverged (" + loss + ")");
        System.out.printf(Locale.ROOT, "steps_per_second=%.6f loss=%.4f%n", steps / seconds, loss);
    }
}
