package org.sinter.privacy.examples;

import java.util.Locale;
import java.util.function.Consumer;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.Subset;
import org.sinter.data.datasets.MNIST;
import org.sinter.nn.Module;
import org.sinter.optim.Adam;
import org.sinter.privacy.adversarial.Accuracy;
import org.sinter.privacy.adversarial.Pgd;
import org.sinter.privacy.adversarial.RobustTrainer;

/**
 * Robust MNIST training for the bar (≥ 85% accuracy at L∞ ε = 0.3 under PGD-40 with
 * restarts): Wong, Rice and Kolter's MNIST recipe by default (their CNN, FGSM from a random start with
 * α = 1.25ε, Adam with a triangular learning rate up to 5e-3, batch 100), with early stopping on the
 * PGD-40 accuracy (one start by default) of 500 held-out training images (the last 1,000 of the 60,000 are held out and
 * never trained on). {@code ./sinter attack train-robust} runs this.
 *
 * <pre>
 * java … org.sinter.privacy.examples.RobustMnist [epochs] [attack steps] [lr max] [ramp epochs] [eval images] [restarts] [seed] [max steps per epoch] [held-out PGD steps] [held-out restarts]
 * </pre>
 */
public final class RobustMnist {
    private static final int BATCH = 100, HELD_OUT = 1000, VALIDATION = 500;

    private RobustMnist() {}

    /** Training figures, the final model and its test accuracies. */
    public record Outcome(Module model, RobustTrainer.Result training, double clean, double robust, int robustImages) {}

    public static Outcome run(RobustTrainer.Options options, int evalImages, int restarts, long seed, Consumer<String> out) {
        return run(options, 40, 1, evalImages, restarts, seed, out);
    }

    /**
     * As {@link #run(RobustTrainer.Options, int, int, long, Consumer)} with the held-out attack that
     * picks the kept epoch given: PGD-{@code validationSteps} (α = 2.5ε/steps) with
     * {@code validationRestarts} starts. A weak one overstates robustness and keeps the wrong epoch.
     */
    public static Outcome run(RobustTrainer.Options options, int validationSteps, int validationRestarts, int evalImages, int restarts, long seed,
            Consumer<String> out) {
        if (validationSteps < 1 || validationRestarts < 1) {
            throw new IllegalArgumentException("RobustMnist: held-out attack needs steps >= 1 and restarts >= 1, got " + validationSteps + ", "
                    + validationRestarts);
        }
        Sinter.manualSeed(seed);
        Module model = MadryMnist.smallCnn();
        var train = Subset.range(MNIST.train(), 0, 60_000 - HELD_OUT);
        var loader = DataLoader.builder(train).batchSize(BATCH).shuffle(true).generator(new Generator(seed + 2)).build();
        Tensor[] val = first(DataLoader.builder(Subset.range(MNIST.train(), 60_000 - HELD_OUT, 60_000 - HELD_OUT + VALIDATION))
                .batchSize(VALIDATION).build().iterator().next());
        String attack = options.attackSteps() == 1 ? "FGSM from a random start (α = 1.25ε)" : "PGD-" + options.attackSteps() + " (α = 2.5ε/k)";
        out.accept(String.format(Locale.ROOT, "robust MNIST: %d epochs of %d steps, batch %d, %s at ε %.2f (ramped over %.1f epochs), Adam with a"
                        + " triangular lr up to %g; early stopping on PGD-%d (%d start(s)) over %d held-out training images; %d threads", options.epochs(),
                options.maxStepsPerEpoch() > 0 ? Math.min(options.maxStepsPerEpoch(), loader.size()) : loader.size(), BATCH, attack,
                options.epsilon(), options.rampEpochs(), options.lrMax(), validationSteps, validationRestarts, VALIDATION, Sinter.getNumThreads()));
        var trainer = new RobustTrainer(model, new Adam(model.parameters(), options.lrMax()), options, new Generator(seed + 1));
        Pgd validationAttack = new Pgd(Pgd.Norm.LINF, options.epsilon(), 2.5 * options.epsilon() / validationSteps, validationSteps,
                validationRestarts, 0, 1);
        RobustTrainer.Result r = trainer.fit(loader, loader.size(), val[0], val[1], validationAttack, e -> out.accept(String.format(Locale.ROOT,
                "epoch %d: adversarial train loss %.4f acc %.2f%% | held-out: clean %.2f%%, PGD-%d %.2f%%%s | %.1f s", e.epoch(), e.trainLoss(),
                100 * e.trainAccuracy(), 100 * e.validationClean(), validationSteps, 100 * e.validationRobust(), e.best() ? " (best so far)" : "", e.seconds())));
        Tensor[] test = first(DataLoader.builder(MNIST.test()).batchSize(10_000).build().iterator().next());
        double clean = Accuracy.of(model, test[0], test[1]);
        long t1 = System.nanoTime();
        Pgd pgd40 = new Pgd(Pgd.Norm.LINF, options.epsilon(), 0.01, 40, restarts, 0, 1);
        int n = Math.min(evalImages, 10_000);
        double robustSum = 0;
        for (int start = 0; start < n; start += 500) {
            int end = Math.min(n, start + 500);
            Tensor x = test[0].narrow(0, start, end - start), y = test[1].narrow(0, start, end - start);
            robustSum += pgd40.robustAccuracy(model, x, y, new Generator(seed + 4 + start)) * (end - start);
        }
        double robust = robustSum / n;
        out.accept(String.format(Locale.ROOT, "training took %.1f s (held-out evaluations included); kept epoch %d. Clean test accuracy %.2f%%"
                        + " (10,000 images); robust accuracy under PGD-40 (L∞ ε = %.2f, α = 0.01, %d restarts) on the first %d test images:"
                        + " %.2f%% (%.1f s)", r.seconds(), r.best().epoch(), 100 * clean, options.epsilon(), restarts, n, 100 * robust,
                (System.nanoTime() - t1) / 1e9));
        return new Outcome(model, r, clean, robust, n);
    }

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        double lr = args.length > 2 ? Double.parseDouble(args[2]) : 5e-3;
        double ramp = args.length > 3 ? Double.parseDouble(args[3]) : 0;
        int evalImages = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
        int restarts = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        long seed = args.length > 6 ? Long.parseLong(args[6]) : 0;
        int maxSteps = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        int validationSteps = args.length > 8 ? Integer.parseInt(args[8]) : 40;
        int validationRestarts = args.length > 9 ? Integer.parseInt(args[9]) : 1;
        run(new RobustTrainer.Options(0.3, k, lr, epochs, ramp, maxSteps), validationSteps, validationRestarts, evalImages, restarts, seed,
                System.out::println);
    }

    private static Tensor[] first(Batch b) {
        return new Tensor[] {b.input().to(DType.FLOAT32).contiguous(), b.target()};
    }
}
