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
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.optim.Adam;
import org.sinter.privacy.adversarial.Accuracy;
import org.sinter.privacy.adversarial.AdversarialTraining;
import org.sinter.privacy.adversarial.Pgd;

/**
 * PGD adversarial training on MNIST (Madry et al. 2018) and its robust accuracy at L∞ ε = 0.3 under
 * PGD-40 (α = 0.01) with random restarts, the bar. On pixels in [0, 1], no normalisation.
 *
 * <p>The model is the small CNN of Wong, Rice and Kolter's MNIST experiments (conv 16 and 32
 * filters of 4x4 stride 2, a 100-unit layer; 166k parameters); Madry et al.'s larger network and
 * 100,000 steps of PGD-40 do not fit a 2-core machine. Training attack: PGD with {@code k} steps of
 * α = 2.5·ε/k from a random start; its ε ramps linearly from 0 to the target over the first
 * {@code rampEpochs} epochs (a schedule that keeps small models from collapsing early at ε = 0.3);
 * Adam.
 *
 * <pre>
 * java … org.sinter.privacy.examples.MadryMnist [epochs] [k] [rampEpochs] [lr] [eval images] [restarts] [seed] [max steps per epoch]
 * </pre>
 */
public final class MadryMnist {
    private static final double EPS = 0.3;
    private static final int BATCH = 100;

    private MadryMnist() {}

    static Module smallCnn() {
        return new Sequential(new Conv2d(1, 16, 4, 2, 1), new ReLU(), new Conv2d(16, 32, 4, 2, 1), new ReLU(), new Flatten(),
                new Linear(32 * 7 * 7, 100), new ReLU(), new Linear(100, 10));
    }

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double rampEpochs = args.length > 2 ? Double.parseDouble(args[2]) : 3;
        double lr = args.length > 3 ? Double.parseDouble(args[3]) : 1e-3;
        int evalImages = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        int restarts = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        long seed = args.length > 6 ? Long.parseLong(args[6]) : 0;
        int maxSteps = args.length > 7 ? Integer.parseInt(args[7]) : 0; // 0: whole epochs (a smaller number is for smoke runs)
        Sinter.manualSeed(seed);
        Module model = smallCnn();
        var training = new AdversarialTraining(model, new Adam(model.parameters(), lr), trainingAttack(0, k), new Generator(seed + 1));
        var loader = DataLoader.builder(MNIST.train()).batchSize(BATCH).shuffle(true).generator(new Generator(seed + 2)).build();
        int perEpoch = maxSteps > 0 ? Math.min(maxSteps, loader.size()) : loader.size();
        long steps = (long) epochs * perEpoch, rampSteps = Math.round(rampEpochs * perEpoch), step = 0;
        System.out.printf(Locale.ROOT, "Madry MNIST: %d epochs of %d steps, batch %d, PGD-%d training (α = 2.5ε/%d) with ε ramped to %.2f over %.1f"
                + " epochs, Adam lr %g, %d threads%n", epochs, perEpoch, BATCH, k, k, EPS, rampEpochs, lr, Sinter.getNumThreads());
        long t0 = System.nanoTime();
        for (int e = 1; e <= epochs; e++) {
            double loss = 0, correct = 0, count = 0;
            long te = System.nanoTime();
            int done = 0;
            for (Batch b : loader) {
                if (done++ == perEpoch) break;
                double eps = EPS * Math.min(1.0, (step + 1.0) / Math.max(1, rampSteps));
                training.attack(trainingAttack(eps, k));
                AdversarialTraining.Step s = training.step(pixels(b.input()), b.target());
                loss += s.loss() * s.count();
                correct += s.correct();
                count += s.count();
                step++;
            }
            Tensor[] sub = testSubset(200);
            double robust = Pgd.madryMnist(1).robustAccuracy(model.eval(), sub[0], sub[1], new Generator(seed + 3));
            System.out.printf(Locale.ROOT, "epoch %d: adversarial train loss %.4f acc %.2f%% (ε %.3f) | first 200 test images: clean %.2f%%,"
                            + " PGD-40 %.2f%% | %.1f s%n", e, loss / count, 100 * correct / count, training.attack().epsilon(),
                    100 * Accuracy.of(model, sub[0], sub[1]), 100 * robust, (System.nanoTime() - te) / 1e9);
            model.train();
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        model.eval();
        Tensor[] all = testSubset(10_000);
        double clean = Accuracy.of(model, all[0], all[1]);
        Tensor[] sub = testSubset(evalImages);
        long t1 = System.nanoTime();
        double robust = Pgd.madryMnist(restarts).robustAccuracy(model, sub[0], sub[1], new Generator(seed + 4));
        System.out.printf(Locale.ROOT, "training took %.1f s (%d steps, evaluations included). Clean test accuracy %.2f%% (10,000 images);"
                        + " robust accuracy under PGD-40 (L∞ ε = 0.3, α = 0.01, %d restarts) on the first %d test images: %.2f%% (%.1f s)%n",
                trainSeconds, steps, 100 * clean, restarts, evalImages, 100 * robust, (System.nanoTime() - t1) / 1e9);
    }

    private static Pgd trainingAttack(double eps, int k) {
        return new Pgd(Pgd.Norm.LINF, eps, Math.max(2.5 * eps / k, 1e-6), k, 1, 0, 1);
    }

    private static Tensor pixels(Tensor input) {
        return input.to(DType.FLOAT32).contiguous();
    }

    /** The first {@code n} test images and labels. */
    private static Tensor[] testSubset(int n) {
        Batch b = DataLoader.builder(MNIST.test()).batchSize(n).build().iterator().next();
        return new Tensor[] {pixels(b.input()), b.target()};
    }
}
