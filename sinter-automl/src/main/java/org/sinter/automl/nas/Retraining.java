package org.sinter.automl.nas;

import java.util.List;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.utils.ClipGrad;
import org.sinter.optim.SGD;
import org.sinter.optim.lr.CosineAnnealingLR;

/**
 * Trains a {@link DerivedNetwork} from scratch (SGD with momentum 0.9, weight decay 3e-4, cosine schedule from
 * {@code lr} to 0, gradients clipped to norm 5: DARTS' retraining recipe without its auxiliary head, cutout and drop
 * path) and measures its test accuracy. Every cell compared in a run gets exactly the same recipe, data and epochs.
 */
public final class Retraining {
    private Retraining() {}

    public record Options(int epochs, int batchSize, double lr, long seed) {
        public Options {
            if (epochs < 1 || batchSize < 2 || !(lr > 0))
                throw new IllegalArgumentException("retrain: need epochs >= 1, batch size >= 2 and lr > 0, got " + epochs + ", " + batchSize + ", " + lr);
        }
    }

    public record Result(DerivedNetwork network, double testAccuracy, double finalTrainLoss, long parameters) {}

    public static Result train(Genotype genotype, CellStack.NetworkShape shape, NasData data, Options options) {
        Sinter.manualSeed(options.seed());
        Generator shuffle = new Generator(options.seed() + 1);
        DerivedNetwork net = new DerivedNetwork(genotype, shape);
        SGD sgd = new SGD(net.parameters(), SGD.options().lr(options.lr()).momentum(0.9).weightDecay(3e-4));
        int steps = (data.trainImages().size(0) + options.batchSize() - 1) / options.batchSize();
        var schedule = new CosineAnnealingLR(sgd, options.epochs() * steps, 0);
        double last = Double.NaN;
        net.train();
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            double sum = 0;
            int count = 0;
            List<Tensor[]> batches = NasData.batches(data.trainImages(), data.trainLabels(), options.batchSize(), shuffle);
            for (Tensor[] b : batches) {
                if (b[0].size(0) < 2) continue;
                sgd.zeroGrad();
                Tensor loss = F.crossEntropy(net.forward(b[0]), b[1]);
                loss.backward();
                ClipGrad.clipGradNorm_(net.parameters(), 5, 2, false);
                sgd.step();
                schedule.step();
                sum += loss.item();
                count++;
            }
            last = sum / count;
        }
        long params = net.parameters().stream().mapToLong(Tensor::numel).sum();
        return new Result(net, NasData.accuracy(net, data.testImages(), data.testLabels()), last, params);
    }
}
