package org.sinter.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.train.Task;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.datasets.FashionMNIST;
import org.sinter.data.datasets.MNIST;
import org.sinter.nn.Module;
import org.sinter.privacy.adversarial.Accuracy;
import org.sinter.privacy.adversarial.CarliniWagnerL2;
import org.sinter.privacy.adversarial.Fgsm;
import org.sinter.privacy.adversarial.Pgd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter attack}: clean and robust test accuracy of a trained image model under FGSM, PGD or
 * Carlini-Wagner L2 (robust: no adversarial input found within L2 distance {@code --eps}; CW also
 * reports the median distance it needed).
 * The attack works on pixels in [0, 1] (so ε = 0.3 means what Madry et al. mean); the model's input
 * normalisation is applied inside the attacked function.
 */
@Command(name = "attack", mixinStandardHelpOptions = true, subcommands = TrainRobustCommand.class, description = "Measure a trained image model's accuracy under FGSM, PGD or Carlini-Wagner L2 attacks.")
final class AttackCommand implements Callable<Integer> {
    enum Method { FGSM, PGD, CW }

    @Option(names = {"--checkpoint", "--model-file"}, description = "trained model or checkpoint written by 'sinter train' (required unless a subcommand is given)")
    Path checkpoint;
    @Option(names = "--model", description = "the model the file must hold (checked against its metadata), e.g. lab1cnn")
    String model;
    @Option(names = "--method", defaultValue = "pgd", description = "fgsm, pgd or cw (Carlini-Wagner L2) (default: ${DEFAULT-VALUE})")
    Method method;
    @Option(names = "--eps", defaultValue = "0.3", description = "attack budget in pixel units; for cw the L2 distance within which an adversarial input counts (default: ${DEFAULT-VALUE})")
    double eps;
    @Option(names = "--norm", defaultValue = "linf", description = "PGD threat model: linf or l2 (default: ${DEFAULT-VALUE})")
    String norm;
    @Option(names = "--steps", description = "PGD steps (default 40); for cw, Adam iterations per search step (default 100)")
    Integer stepsGiven;
    int steps;
    @Option(names = "--step-size", description = "PGD step (default: 0.01 for linf, eps/4 for l2); for cw, Adam's learning rate (default 0.01)")
    Double stepSize;
    @Option(names = "--restarts", defaultValue = "1", description = "PGD random restarts (default: ${DEFAULT-VALUE})")
    int restarts;
    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE})")
    String dataset;
    @Option(names = "--limit", defaultValue = "1000", description = "attack the first N test images (default: ${DEFAULT-VALUE})")
    int limit;
    @Option(names = "--batch-size", defaultValue = "250", description = "images attacked at once (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--search-steps", defaultValue = "9", description = "cw: binary-search steps over its constant c (default: ${DEFAULT-VALUE})")
    int searchSteps;
    @Option(names = "--confidence", defaultValue = "0", description = "cw: the margin κ past the decision boundary (default: ${DEFAULT-VALUE})")
    double confidence;
    @Option(names = "--initial-const", defaultValue = "0.001", description = "cw: the first constant c (default: ${DEFAULT-VALUE})")
    double initialConst;
    @Option(names = "--seed", defaultValue = "0", description = "seed of PGD's random starts (default: ${DEFAULT-VALUE})")
    long seed;

    /**
     * How many images of the batch stay correctly classified with no CW adversarial input within L2
     * {@code --eps}; the L2 distances CW needed on the correctly classified ones go to {@code distances}.
     */
    private double cwRobust(CarliniWagnerL2 cw, Module attacked, Tensor x, Tensor y, java.util.List<Double> distances) {
        boolean[] correct;
        try (var _ = Sinter.noGrad()) {
            correct = attacked.forward(x).argmax(1, false).eq(y).toBooleanArray();
        }
        CarliniWagnerL2.Result r = cw.run(attacked, x, y);
        int robust = 0;
        for (int i = 0; i < correct.length; i++) {
            if (!correct[i]) continue;
            distances.add(r.l2()[i]);
            if (r.l2()[i] > eps) robust++;
        }
        return robust;
    }

    /** The model behind its input normalisation: the attack sees pixels. */
    static final class OnPixels extends Module {
        private final Module inner;
        private final double mean, std;

        OnPixels(Module inner, double mean, double std) {
            this.inner = registerModule("inner", inner);
            this.mean = mean;
            this.std = std;
        }

        @Override
        public Tensor forward(Tensor x) {
            return inner.forward(x.sub(mean).div(std));
        }
    }

    @Override
    public Integer call() throws Exception {
        if (checkpoint == null) throw new UsageException("attack: --checkpoint is required (or the subcommand train-robust)");
        if (!(eps >= 0)) throw new UsageException("--eps must be >= 0, got " + eps);
        if (limit < 1 || batchSize < 1) throw new UsageException("--limit and --batch-size must be >= 1");
        ModelFiles.Loaded l = ModelFiles.load(checkpoint);
        if (l.spec().kind != Task.Kind.IMAGE) throw new UsageException(checkpoint + " holds " + l.spec().id + ", a text model; attacks here are on image classifiers");
        if (model != null && !model.equalsIgnoreCase(l.spec().id)) throw new UsageException("--model " + model + " but " + checkpoint + " holds " + l.spec().id);
        double mean, std;
        var test = switch (dataset) {
            case "mnist" -> { mean = MNIST.MEAN; std = MNIST.STD; yield MNIST.test(); }
            case "fashion-mnist" -> { mean = 0.2860; std = 0.3530; yield FashionMNIST.loadInstalled().test(); }
            default -> throw new UsageException("--dataset " + dataset + ": mnist or fashion-mnist");
        };
        steps = stepsGiven != null ? stepsGiven : method == Method.CW ? 100 : 40;
        CarliniWagnerL2 cw = null;
        if (method == Method.CW) {
            try {
                cw = new CarliniWagnerL2(confidence, stepSize != null ? stepSize : 0.01, searchSteps, steps, initialConst, true, 0, 1);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        Pgd pgd = null;
        if (method == Method.PGD) {
            Pgd.Norm n = switch (norm.toLowerCase(Locale.ROOT)) {
                case "linf" -> Pgd.Norm.LINF;
                case "l2" -> Pgd.Norm.L2;
                default -> throw new UsageException("--norm " + norm + ": linf or l2");
            };
            double step = stepSize != null ? stepSize : n == Pgd.Norm.LINF ? 0.01 : Math.max(eps / 4, 1e-6);
            try {
                pgd = new Pgd(n, eps, step, steps, restarts, 0, 1);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        Module attacked = new OnPixels(l.model(), mean, std).eval();
        Generator gen = new Generator(seed);
        int n = Math.min(limit, test.size());
        double clean = 0, robust = 0;
        long t0 = System.nanoTime();
        int seen = 0;
        java.util.List<Double> distances = new java.util.ArrayList<>(); // CW: L2 needed on correctly classified images
        for (Batch b : DataLoader.builder(test).batchSize(batchSize).build()) {
            if (seen >= n) break;
            int len = Math.min(b.input().shape()[0], n - seen);
            Tensor x = b.input().narrow(0, 0, len).to(DType.FLOAT32).contiguous(), y = b.target().narrow(0, 0, len);
            if (cw != null) {
                robust += cwRobust(cw, attacked, x, y, distances);
                try (var _ = Sinter.noGrad()) {
                    clean += len * Accuracy.of(attacked, x, y);
                }
                seen += len;
                continue;
            }
            Tensor adv = pgd != null ? pgd.attack(attacked, x, y, gen) : Fgsm.attack(attacked, x, y, eps, 0, 1);
            try (var _ = Sinter.noGrad()) {
                clean += len * Accuracy.of(attacked, x, y);
                robust += len * Accuracy.of(attacked, adv, y);
            }
            seen += len;
        }
        String how = cw != null ? String.format(Locale.ROOT, "CW-L2 (κ = %s, %d search steps × %d iterations, L2 ≤ %s)", confidence,
                searchSteps, steps, eps)
                : pgd != null ? String.format(Locale.ROOT, "PGD-%d (%s, ε = %s, step %s, %d restart%s)", steps, norm, eps, pgd.stepSize(), restarts, restarts == 1 ? "" : "s")
                : String.format(Locale.ROOT, "FGSM (L∞, ε = %s)", eps);
        System.out.printf(Locale.ROOT, "%s on %d %s test images: clean accuracy %.2f%%, robust accuracy under %s %.2f%% (%.1f s)%n",
                l.spec().id, seen, dataset, 100 * clean / seen, how, 100 * robust / seen, (System.nanoTime() - t0) / 1e9);
        if (cw != null) {
            java.util.Collections.sort(distances);
            long inf = distances.stream().filter(d -> d.isInfinite()).count();
            System.out.printf(Locale.ROOT, "CW-L2 on the %d correctly classified images: median L2 %.4f, %d not fooled within the search%n",
                    distances.size(), distances.isEmpty() ? Double.NaN : distances.get(distances.size() / 2), inf);
        }
        return 0;
    }
}
