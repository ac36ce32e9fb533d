package org.sinter.privacy.examples;

import java.util.Locale;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.datasets.MNIST;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;
import org.sinter.nn.Tanh;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;
import org.sinter.privacy.PrivacyEngine;
import org.sinter.privacy.PrivateTraining;
import org.sinter.privacy.accountant.RdpConversion;

/**
 * DP-SGD on MNIST with the small CNN of the Opacus and TF Privacy MNIST examples, Poisson
 * batches of expected size 256, σ = 1.1, C = 1.0 by default; prints test accuracy and ε after
 * every epoch, then the time of a DP-SGD step (per-sample gradients, clipping, noise) against a
 * plain SGD step of the same model and batch size.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp … org.sinter.privacy.examples.MnistDpSgd [epochs] [σ] [C] [lr] [seed] [target ε]
 * </pre>
 * With a target ε, σ is instead the smallest that keeps ε (improved conversion, δ = 1e-5) at most
 * the target after the given epochs.
 */
public final class MnistDpSgd {
    private static final double DELTA = 1e-5;
    private static final int BATCH = 256;

    private MnistDpSgd() {}

    /** Opacus' MNIST example network (SampleConvNet). */
    static Module sampleConvNet() {
        return new Sequential(
                new Conv2d(1, 16, 8, 2, 3), new Tanh(), new MaxPool2d(2, 1, 0),
                new Conv2d(16, 32, 4, 2, 0), new Tanh(), new MaxPool2d(2, 1, 0),
                new Flatten(), new Linear(32 * 4 * 4, 32), new Tanh(), new Linear(32, 10));
    }

    static Tensor normalize(Tensor x) {
        return x.sub(MNIST.MEAN).div(MNIST.STD);
    }

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double sigma = args.length > 1 ? Double.parseDouble(args[1]) : 1.1;
        double clip = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        double lr = args.length > 3 ? Double.parseDouble(args[3]) : 0.25;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 0;
        double targetEpsilon = args.length > 5 ? Double.parseDouble(args[5]) : Double.NaN;
        Sinter.manualSeed(seed);
        Module model = sampleConvNet();
        var loader = DataLoader.builder(MNIST.train()).batchSize(BATCH).build();
        var engine = new PrivacyEngine(new Generator(seed + 1));
        PrivateTraining dp = Double.isNaN(targetEpsilon)
                ? engine.makePrivate(model, new SGD(model.parameters(), lr), loader, sigma, clip)
                : engine.makePrivateWithEpsilon(model, new SGD(model.parameters(), lr), loader, targetEpsilon, DELTA, epochs, clip);
        sigma = dp.optimizer().noiseMultiplier();
        System.out.printf(Locale.ROOT, "DP-SGD MNIST: q=%.6f (expected batch %d), σ=%.3f, C=%.2f, lr=%.3f, %d steps/epoch, threads=%d%n",
                dp.loader().sampleRate(), BATCH, sigma, clip, lr, dp.loader().size(), Sinter.getNumThreads());
        for (int e = 1; e <= epochs; e++) {
            long t0 = System.nanoTime();
            for (Batch b : dp.loader()) {
                dp.optimizer().zeroGrad();
                F.crossEntropy(dp.module().forward(normalize(b.input())), b.target()).backward();
                dp.optimizer().step();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "epoch %d: %.1f s, test accuracy %.4f, ε = %.3f (improved RDP conversion), %.3f (classic), δ = %g%n",
                    e, secs, accuracy(model), engine.getEpsilon(DELTA),
                    engine.accountant().getPrivacySpent(DELTA, RdpConversion.CLASSIC).epsilon(), DELTA);
        }
        compareStepTimes(seed);
    }

    static double accuracy(Module model) {
        long correct = 0, total = 0;
        try (var _ = Sinter.noGrad()) {
            for (Batch b : DataLoader.builder(MNIST.test()).batchSize(1000).build()) {
                Tensor pred = model.forward(normalize(b.input())).argmax(1, false);
                correct += (long) pred.eq(b.target()).to(DType.FLOAT64).sum().item();
                total += b.target().size(0);
            }
        }
        return (double) correct / total;
    }

    /**
     * Median time of a plain step and of a DP-SGD step (fixed batch of 256), after warm-up. The
     * two alternate step by step, so both see the same machine load, and each step's process CPU
     * time (all threads) is measured beside its wall time: on a shared, loaded machine the CPU
     * time is the steadier figure of the work a step does.
     */
    static void compareStepTimes(long seed) {
        Batch batch = DataLoader.builder(MNIST.train()).batchSize(BATCH).build().iterator().next();
        Tensor x = normalize(batch.input()), y = batch.target();
        Module plain = sampleConvNet();
        var sgd = new SGD(plain.parameters(), 0.01);
        Runnable plainStep = () -> {
            sgd.zeroGrad();
            F.crossEntropy(plain.forward(x), y).backward();
            sgd.step();
        };
        Module priv = sampleConvNet();
        var loader = DataLoader.builder(MNIST.train()).batchSize(BATCH).build();
        PrivateTraining dp = new PrivacyEngine(new Generator(seed)).makePrivate(priv, new SGD(priv.parameters(), 0.01), loader, 1.1, 1.0);
        Runnable dpStep = () -> {
            dp.optimizer().zeroGrad();
            F.crossEntropy(dp.module().forward(x), y).backward();
            dp.optimizer().step();
        };
        for (int i = 0; i < 15; i++) {
            plainStep.run();
            dpStep.run();
        }
        int n = 31;
        double[][] plainMs = new double[2][n], dpMs = new double[2][n]; // [wall, cpu][step]
        for (int i = 0; i < n; i++) {
            time(plainStep, plainMs, i);
            time(dpStep, dpMs, i);
        }
        double wallPlain = median(plainMs[0]), wallDp = median(dpMs[0]), cpuPlain = median(plainMs[1]), cpuDp = median(dpMs[1]);
        System.out.printf(Locale.ROOT, "step time, batch %d, medians of %d alternating steps: wall plain SGD %.2f ms, DP-SGD %.2f ms,"
                + " ratio %.2f; process CPU plain %.2f ms, DP-SGD %.2f ms, ratio %.2f%n", BATCH, n, wallPlain, wallDp, wallDp / wallPlain,
                cpuPlain, cpuDp, cpuDp / cpuPlain);
    }

    private static void time(Runnable step, double[][] ms, int i) {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime();
        step.run();
        ms[0][i] = (System.nanoTime() - t0) / 1e6;
        ms[1][i] = (os.getProcessCpuTime() - cpu0) / 1e6;
    }

    private static double median(double[] v) {
        double[] t = v.clone();
        java.util.Arrays.sort(t);
        return t[t.length / 2];
    }
}
