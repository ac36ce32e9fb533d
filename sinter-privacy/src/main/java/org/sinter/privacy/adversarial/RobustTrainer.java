package org.sinter.privacy.adversarial;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.nn.Module;
import org.sinter.optim.Optimizer;
import org.sinter.optim.ParamGroup;

/**
 * Adversarial training with the two guards that keep few-step training from overfitting
 * catastrophically (Wong, Rice and Kolter 2020, "Fast is better than free"): a cyclic (triangular)
 * learning rate that ends at zero, and early stopping on a held-out PGD robust accuracy, keeping the
 * best epoch's parameters. The training attack is either FGSM from a random start with step
 * α = 1.25·ε ({@link #fgsmRs}) or PGD-k with α = 2.5·ε/k ({@link #pgdK}), its ε optionally ramped up
 * linearly over the first epochs.
 */
public final class RobustTrainer {
    /** What to train against and for how long. */
    public record Options(double epsilon, int attackSteps, double lrMax, int epochs, double rampEpochs, int maxStepsPerEpoch) {
        public Options {
            if (!(epsilon > 0)) throw new IllegalArgumentException("RobustTrainer: ε must be > 0, got " + epsilon);
            if (attackSteps < 1) throw new IllegalArgumentException("RobustTrainer: attack steps must be >= 1, got " + attackSteps);
            if (!(lrMax > 0)) throw new IllegalArgumentException("RobustTrainer: lr must be > 0, got " + lrMax);
            if (epochs < 1) throw new IllegalArgumentException("RobustTrainer: epochs must be >= 1, got " + epochs);
            if (!(rampEpochs >= 0)) throw new IllegalArgumentException("RobustTrainer: ramp epochs must be >= 0, got " + rampEpochs);
        }
    }

    /** One epoch's training and held-out figures. */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double validationClean, double validationRobust, double seconds,
            boolean best) {}

    /** The epochs run, the best one (whose parameters the model holds at the end) and the training time. */
    public record Result(java.util.List<Epoch> epochs, Epoch best, double seconds) {}

    /** FGSM from a uniform random start in the ε-ball, α = 1.25·ε (Wong et al.). */
    public static Pgd fgsmRs(double eps) {
        return new Pgd(Pgd.Norm.LINF, eps, 1.25 * eps, 1, 1, 0, 1);
    }

    /** PGD-k from a random start, α = 2.5·ε/k (Madry et al.). */
    public static Pgd pgdK(double eps, int k) {
        return new Pgd(Pgd.Norm.LINF, eps, 2.5 * eps / k, k, 1, 0, 1);
    }

    private final Module model;
    private final Optimizer optimizer;
    private final Options options;
    private final Generator generator;

    public RobustTrainer(Module model, Optimizer optimizer, Options options, Generator generator) {
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.options = Objects.requireNonNull(options, "options");
        this.generator = Objects.requireNonNull(generator, "generator");
    }

    private Pgd trainingAttack(double eps) {
        double e = Math.max(eps, 1e-6);
        return options.attackSteps() == 1 ? fgsmRs(e) : pgdK(e, options.attackSteps());
    }

    /** The triangular schedule: 0 → lrMax over the first half of the steps, back to 0 over the second. */
    static double cyclicLr(double lrMax, long step, long total) {
        double t = (double) step / total;
        return t < 0.5 ? lrMax * 2 * t : lrMax * 2 * (1 - t);
    }

    /**
     * Trains for the configured epochs over {@code train} (batches of pixels in [0, 1]); after each
     * epoch measures clean and {@code validationAttack} accuracy on {@code (xVal, yVal)}; at the end
     * the model holds the parameters of the epoch with the highest robust validation accuracy.
     */
    public Result fit(Iterable<Batch> train, int batchesPerEpoch, Tensor xVal, Tensor yVal, Pgd validationAttack, Consumer<Epoch> log) {
        int perEpoch = options.maxStepsPerEpoch() > 0 ? Math.min(options.maxStepsPerEpoch(), batchesPerEpoch) : batchesPerEpoch;
        long total = (long) perEpoch * options.epochs(), rampSteps = Math.round(options.rampEpochs() * perEpoch), step = 0;
        var training = new AdversarialTraining(model, optimizer, trainingAttack(options.epsilon()), generator);
        var epochs = new java.util.ArrayList<Epoch>();
        Epoch best = null;
        Map<String, Tensor> bestState = null;
        long t0 = System.nanoTime();
        for (int e = 1; e <= options.epochs(); e++) {
            long te = System.nanoTime();
            double loss = 0, correct = 0, count = 0;
            int done = 0;
            for (Batch b : train) {
                if (done++ == perEpoch) break;
                double lr = cyclicLr(options.lrMax(), step, total);
                for (ParamGroup g : optimizer.paramGroups()) g.setLr(lr);
                double eps = rampSteps > 0 ? options.epsilon() * Math.min(1.0, (step + 1.0) / rampSteps) : options.epsilon();
                training.attack(trainingAttack(eps));
                Tensor x = b.input().dtype().isFloatingPoint() ? b.input() : b.input().to(DType.FLOAT32);
                AdversarialTraining.Step s = training.step(x.contiguous(), b.target());
                loss += s.loss() * s.count();
                correct += s.correct();
                count += s.count();
                step++;
            }
            model.eval();
            double clean = Accuracy.of(model, xVal, yVal);
            double robust = validationAttack.robustAccuracy(model, xVal, yVal, new Generator(e));
            model.train();
            boolean isBest = best == null || robust > best.validationRobust();
            Epoch ep = new Epoch(e, loss / count, correct / count, clean, robust, (System.nanoTime() - te) / 1e9, isBest);
            if (isBest) {
                best = ep;
                bestState = copy(model.stateDict());
            }
            epochs.add(ep);
            log.accept(ep);
        }
        model.loadStateDict(bestState, true);
        model.eval();
        return new Result(epochs, best, (System.nanoTime() - t0) / 1e9);
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        var out = new LinkedHashMap<String, Tensor>();
        state.forEach((k, v) -> out.put(k, v.detach().clone()));
        return out;
    }
}
