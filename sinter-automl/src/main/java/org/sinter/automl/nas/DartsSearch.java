package org.sinter.automl.nas;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.utils.ClipGrad;
import org.sinter.optim.Adam;
import org.sinter.optim.SGD;
import org.sinter.optim.lr.CosineAnnealingLR;

/**
 * DARTS' search with the first-order approximation (Liu et al. 2019, Algorithm 1 with {@code xi = 0}): each step first
 * moves {@code alpha} down the validation loss's gradient (Adam, as DARTS), then the network weights down the training
 * loss's gradient (SGD with momentum and a cosine schedule, gradients clipped to norm 5, as DARTS). The first
 * {@code warmupEpochs} train the weights only, so that the architecture is not judged on untrained operations
 * (parameter-free skip connections and pools would otherwise win early; PC-DARTS warms up the same way).
 */
public final class DartsSearch {
    private DartsSearch() {}

    /** Search settings; DARTS' defaults except a larger architecture learning rate for a search of a few hundred steps. */
    public record Options(int epochs, int warmupEpochs, int batchSize, double weightLr, double weightLrMin, double momentum,
                          double weightDecay, double alphaLr, double alphaWeightDecay, double gradClip, long seed) {
        public Options {
            if (epochs < 1 || warmupEpochs < 0 || warmupEpochs >= epochs)
                throw new IllegalArgumentException("darts: need epochs >= 1 and 0 <= warmup < epochs, got epochs " + epochs + ", warmup " + warmupEpochs);
            if (batchSize < 2) throw new IllegalArgumentException("darts: batch size must be >= 2 (batch norm), got " + batchSize);
            if (!(weightLr > 0) || !(alphaLr > 0)) throw new IllegalArgumentException("darts: learning rates must be > 0");
        }

        public static Options defaults(int epochs, long seed) {
            return new Options(epochs, Math.min(1, epochs - 1), 64, 0.025, 0.001, 0.9, 3e-4, 3e-3, 1e-3, 5, seed);
        }

        public Options withBatchSize(int b) {
            return new Options(epochs, warmupEpochs, b, weightLr, weightLrMin, momentum, weightDecay, alphaLr, alphaWeightDecay, gradClip, seed);
        }

        public Options withWarmup(int w) {
            return new Options(epochs, w, batchSize, weightLr, weightLrMin, momentum, weightDecay, alphaLr, alphaWeightDecay, gradClip, seed);
        }
    }

    /** Progress after each epoch: the genotype alpha gives now and the supernet's validation accuracy. */
    public record EpochReport(int epoch, double trainLoss, double validationAccuracy, Genotype genotype, double[][] weights) {}

    public record Result(SearchNetwork network, Genotype genotype, List<EpochReport> epochs) {}

    public static Result search(NasData data, CellStack.NetworkShape shape, Options options, Consumer<EpochReport> progress) {
        if (data.validationImages().size(0) < options.batchSize())
            throw new IllegalArgumentException("darts: the validation split (" + data.validationImages().size(0)
                    + " images) is smaller than one batch (" + options.batchSize() + ")");
        Sinter.manualSeed(options.seed());
        Generator shuffle = new Generator(options.seed() + 1);
        SearchNetwork net = new SearchNetwork(shape, new Generator(options.seed() + 2));
        SGD weights = new SGD(net.weights(), SGD.options().lr(options.weightLr()).momentum(options.momentum()).weightDecay(options.weightDecay()));
        Adam architecture = new Adam(net.architectureParameters(),
                Adam.options().lr(options.alphaLr()).betas(0.5, 0.999).weightDecay(options.alphaWeightDecay()));
        int stepsPerEpoch = (data.trainImages().size(0) + options.batchSize() - 1) / options.batchSize();
        var schedule = new CosineAnnealingLR(weights, options.epochs() * stepsPerEpoch, options.weightLrMin());
        List<EpochReport> reports = new ArrayList<>();
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            net.train();
            boolean searchAlpha = epoch > options.warmupEpochs();
            List<Tensor[]> train = NasData.batches(data.trainImages(), data.trainLabels(), options.batchSize(), shuffle);
            List<Tensor[]> validation = NasData.batches(data.validationImages(), data.validationLabels(), options.batchSize(), shuffle);
            double lossSum = 0;
            for (int s = 0; s < train.size(); s++) {
                if (searchAlpha) {
                    Tensor[] v = validation.get(s % validation.size());
                    if (v[0].size(0) < 2) v = validation.get(0);
                    architecture.zeroGrad();
                    F.crossEntropy(net.forward(v[0]), v[1]).backward();
                    architecture.step();
                }
                Tensor[] t = train.get(s);
                if (t[0].size(0) < 2) continue; // batch norm needs two samples
                weights.zeroGrad();
                net.alpha().zeroGrad();
                Tensor loss = F.crossEntropy(net.forward(t[0]), t[1]);
                loss.backward();
                ClipGrad.clipGradNorm_(net.weights(), options.gradClip(), 2, false);
                weights.step();
                schedule.step();
                lossSum += loss.item();
            }
            net.alpha().zeroGrad();
            EpochReport report = new EpochReport(epoch, lossSum / train.size(),
                    NasData.accuracy(net, data.validationImages(), data.validationLabels()), net.derive(), softmaxRows(net.alpha()));
            reports.add(report);
            if (progress != null) progress.accept(report);
        }
        return new Result(net, net.derive(), reports);
    }

    static double[][] softmaxRows(Tensor alpha) {
        double[] w = alpha.detach().to(org.sinter.DType.FLOAT64).softmax(1).toDoubleArray();
        int rows = alpha.size(0), cols = alpha.size(1);
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) System.arraycopy(w, r * cols, out[r], 0, cols);
        return out;
    }
}
