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
 * One-shot NAS (Li and Talwalkar 2019's random search with weight sharing; ENAS' supernet without its controller;
 * single-path one-shot, Guo et al. 2020): the {@link SearchNetwork}'s weights are trained one uniformly sampled cell per
 * step (the same cell in every position, as the derived network uses it), then {@code candidates} cells are scored by
 * their validation accuracy with the shared weights and the best is returned. The cells scored are drawn at random
 * ({@link Sampling#RANDOM}) or by regularized evolution over the supernet ({@link Sampling#EVOLUTION}: Real et al. 2019's
 * aging evolution, a population of a quarter of the budget, tournaments of half of it, one {@link Genotype#mutate
 * mutation} per child). Scoring runs the batch norms on batch statistics (training mode, no gradients), because the
 * running statistics mix every sampled path.
 */
public final class OneShotSearch {
    private OneShotSearch() {}

    public record Candidate(Genotype genotype, double validationAccuracy) {}

    public record Result(Genotype best, List<Candidate> ranked) {}

    /** How the trained supernet's candidates are chosen. */
    public enum Sampling { RANDOM, EVOLUTION }

    public static Result search(NasData data, CellStack.NetworkShape shape, DartsSearch.Options options, int candidates,
                                Consumer<String> progress) {
        return search(data, shape, options, candidates, Sampling.RANDOM, progress);
    }

    public static Result search(NasData data, CellStack.NetworkShape shape, DartsSearch.Options options, int candidates, Sampling sampling,
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
        SplittableRandom pick = new SplittableRandom(options.seed() + 4);
        java.util.function.Function<Genotype, Candidate> score = g -> {
            net.sample(g);
            return new Candidate(g, sharedWeightAccuracy(net, data.validationImages(), data.validationLabels()));
        };
        List<Candidate> ranked = sampling == Sampling.RANDOM ? randomCandidates(shape, candidates, pick, score) : evolve(shape, candidates, pick, score);
        net.sample(null);
        if (progress != null) progress.accept(String.format("one-shot %s sampling: %d cells scored with the shared weights",
                sampling.name().toLowerCase(java.util.Locale.ROOT), ranked.size()));
        ranked.sort(Comparator.comparingDouble(c -> -c.validationAccuracy()));
        return new Result(ranked.getFirst().genotype(), ranked);
    }

    private static List<Candidate> randomCandidates(CellStack.NetworkShape shape, int budget, SplittableRandom pick,
                                                    java.util.function.Function<Genotype, Candidate> score) {
        List<Candidate> out = new ArrayList<>();
        for (int k = 0; k < budget; k++) out.add(score.apply(Genotype.random(shape.nodes(), pick)));
        return out;
    }

    /**
     * Aging evolution: a random population, then each child is a mutation of the best of a random tournament and
     * replaces the oldest member; {@code budget} cells are scored in all (a cell met again is not scored twice).
     */
    private static List<Candidate> evolve(CellStack.NetworkShape shape, int budget, SplittableRandom pick,
                                          java.util.function.Function<Genotype, Candidate> score) {
        int population = Math.max(2, Math.min(budget, budget / 4));
        int tournament = Math.max(1, population / 2);
        java.util.Map<Genotype, Candidate> seen = new java.util.LinkedHashMap<>();
        java.util.ArrayDeque<Candidate> alive = new java.util.ArrayDeque<>();
        int attempts = 0;
        while (seen.size() < budget && attempts++ < 100 * budget) {
            Genotype g;
            if (seen.size() < population) {
                g = Genotype.random(shape.nodes(), pick);
            } else {
                List<Candidate> members = new ArrayList<>(alive);
                Candidate parent = null;
                for (int k = 0; k < tournament; k++) {
                    Candidate c = members.get(pick.nextInt(members.size()));
                    if (parent == null || c.validationAccuracy() > parent.validationAccuracy()) parent = c;
                }
                g = parent.genotype().mutate(pick);
            }
            Candidate c = seen.get(g);
            if (c == null) {
                c = score.apply(g);
                seen.put(g, c);
            }
            alive.addLast(c);
            if (alive.size() > population) alive.removeFirst();
        }
        return new ArrayList<>(seen.values());
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
