package org.sinter.automl.nas;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.utils.ClipGrad;
import org.sinter.optim.SGD;
import org.sinter.optim.lr.CosineAnnealingLR;

/**
 * One-shot NAS with random sampling (Li and Talwalkar 2019's random search with weight sharing; ENAS' supernet without
 * its controller): the {@link SearchNetwork}'s weights are trained one uniformly sampled cell per step (the same cell in
 * every position, as the derived network uses it), then {@code candidates} random cells are ranked by their validation
 * accuracy with the shared weights and the best is returned. Ranking runs the batch norms on batch statistics (training
 * mode, no gradients), because the running statistics mix every sampled path.
 */
public final class OneShotSearch {
    private OneShotSearch() {}

    public record Candidate(Genotype genotype, double validationAccuracy) {}

    public record Result(Genotype best, List<Candidate> ranked) {}

    public static Result search(NasData data, CellStack.NetworkShape shape, DartsSearch.Options options, int candidates,
                                Consumer<String> progress) {
        if (candidates < 1) throw new IllegalArgumentException("one-shot: candidates must be >= 1, got " + candidates);
        Sinter.manualSeed(options.seed());
        Generator shuffle = new Generator(options.seed() + 1);
        SplittableRandom sampler = new SplittableRandom(options.seed() + 3);
        SearchNetwork net = new SearchNetwork(shape, new Generator(options.seed() + 2));
        SGD sgd = new SGD(net.weights(), SGD.options().lr(options.weightLr()).momentum(options.momentum()).weightDecay(options.weightDecay()));
        int steps = (data.trainImages().size(0) + options.batchSize() - 1) / options.batchSize();
        var schedule = new CosineAnnealingLR(sgd, options.epochs() * steps, options.weightLrMin());
        net.train();
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            double sum = 0;
            int count = 0;
            for (Tensor[] b : NasData.batches(data.trainImages(), data.trainLabels(), options.batchSize(), shuffle)) {
                if (b[0].size(0) < 2) continue;
                net.sample(Genotype.random(shape.nodes(), sampler));
                sgd.zeroGrad();
                Tensor loss = F.crossEntropy(net.forward(b[0]), b[1]);
                loss.backward();
                ClipGrad.clipGradNorm_(net.weights(), options.gradClip(), 2, false);
                sgd.step();
                schedule.step();
                sum += loss.item();
                count++;
            }
            if (progress != null) progress.accept(String.format("one-shot epoch %d: supernet train loss %.4f", epoch, sum / count));
        }
        List<Candidate> ranked = new ArrayList<>();
        SplittableRandom pick = new SplittableRandom(options.seed() + 4);
        for (int k = 0; k < candidates; k++) {
            Genotype g = Genotype.random(shape.nodes(), pick);
            net.sample(g);
            ranked.add(new Candidate(g, sharedWeightAccuracy(net, data.validationImages(), data.validationLabels())));
        }
        net.sample(null);
        ranked.sort(Comparator.comparingDouble(c -> -c.validationAccuracy()));
        return new Result(ranked.getFirst().genotype(), ranked);
    }

    private static double sharedWeightAccuracy(SearchNetwork net, Tensor images, Tensor labels) {
        long correct = 0;
        try (var _ = Sinter.noGrad()) {
            for (int start = 0; start < images.size(0); start += 500) {
                int len = Math.min(500, images.size(0) - start);
                if (len < 2) break;
                correct += (long) net.forward(images.narrow(0, start, len)).argmax(1, false).eq(labels.narrow(0, start, len)).sum().item();
            }
        }
        return correct / (double) images.size(0);
    }
}
