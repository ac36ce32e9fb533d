package org.sinter.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sinter.automl.nas.CellStack;
import org.sinter.automl.nas.DartsSearch;
import org.sinter.automl.nas.NasExperiment;
import org.sinter.data.datasets.FashionMNIST;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter hpo nas}: DARTS (first order) on Fashion-MNIST, optionally one-shot random sampling, then the found cells
 * and random cells of the same space retrained with one recipe and scored on the test set (issue 17, deliverable 6).
 */
@Command(name = "nas", mixinStandardHelpOptions = true,
        description = "Neural architecture search on Fashion-MNIST: DARTS' differentiable cell search (and, with --one-shot N, a"
                + " weight-sharing supernet ranking N random cells), then the found cells and --random-cells random cells"
                + " retrained from scratch with the same budget and scored on the test set. Writes genotype.json,"
                + " model.safetensors (the DARTS cell's retrained network) and report.json to --out.")
final class HpoNasCommand implements Callable<Integer> {
    @Option(names = "--channels", defaultValue = "8", description = "cell channels before the reduction (default: ${DEFAULT-VALUE})")
    int channels;
    @Option(names = "--cells", defaultValue = "2", description = "cells; the second half run at 7x7 with twice the channels (default: ${DEFAULT-VALUE})")
    int cells;
    @Option(names = "--nodes", defaultValue = "3", description = "intermediate nodes per cell (default: ${DEFAULT-VALUE})")
    int nodes;
    @Option(names = "--search-epochs", defaultValue = "8", description = "DARTS epochs over --train (default: ${DEFAULT-VALUE})")
    int searchEpochs;
    @Option(names = "--warmup-epochs", defaultValue = "2", description = "first search epochs that train the weights only (default: ${DEFAULT-VALUE})")
    int warmupEpochs;
    @Option(names = "--batch-size", defaultValue = "64", description = "(default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--alpha-lr", defaultValue = "3e-3", description = "Adam's learning rate for alpha (DARTS: 3e-4 over 50 epochs; default: ${DEFAULT-VALUE})")
    double alphaLr;
    @Option(names = "--train", defaultValue = "4000", description = "search training images, the first of the training set (default: ${DEFAULT-VALUE})")
    int train;
    @Option(names = "--validation", defaultValue = "4000", description = "search validation images, the next ones (default: ${DEFAULT-VALUE})")
    int validation;
    @Option(names = "--test", defaultValue = "10000", description = "test images scored (default: all ${DEFAULT-VALUE})")
    int test;
    @Option(names = "--retrain-epochs", defaultValue = "4", description = "epochs each cell is retrained on train + validation (default: ${DEFAULT-VALUE})")
    int retrainEpochs;
    @Option(names = "--retrain-lr", defaultValue = "0.05", description = "SGD learning rate of the retraining, cosine to 0 (default: ${DEFAULT-VALUE})")
    double retrainLr;
    @Option(names = "--random-cells", defaultValue = "10", description = "random cells of the same space retrained as the baseline (default: ${DEFAULT-VALUE})")
    int randomCells;
    @Option(names = "--one-shot", defaultValue = "0", description = "also train a weight-sharing supernet on random single paths and retrain the best of this many random cells (0: off; default: ${DEFAULT-VALUE})")
    int oneShot;

    @Option(names = "--one-shot-sampling", defaultValue = "random",
            description = "how the one-shot search picks the cells it scores on the trained supernet: random or evolution (regularized evolution; default: ${DEFAULT-VALUE})")
    String oneShotSampling;
    @Option(names = "--seed", defaultValue = "0", description = "(default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--data", description = "the Fashion-MNIST directory (default: Debian's dataset-fashion-mnist)")
    Path data;
    @Option(names = "--out", defaultValue = "runs/nas", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        NasExperiment.Settings settings;
        try {
            DartsSearch.Options defaults = DartsSearch.Options.defaults(searchEpochs, seed);
            DartsSearch.Options search = new DartsSearch.Options(searchEpochs, warmupEpochs, batchSize, defaults.weightLr(), defaults.weightLrMin(),
                    defaults.momentum(), defaults.weightDecay(), alphaLr, defaults.alphaWeightDecay(), defaults.gradClip(), seed);
            settings = new NasExperiment.Settings(new CellStack.NetworkShape(channels, cells, nodes, 10), search, train, validation, test,
                    retrainEpochs, retrainLr, randomCells, oneShot, sampling(), data != null ? data : FashionMNIST.DEBIAN_DIR, out);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        NasExperiment.Report report;
        try {
            report = NasExperiment.run(settings, System.out::println);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        System.out.printf(Locale.ROOT, "DARTS cell: %s%n", report.darts());
        System.out.printf(Locale.ROOT, "DARTS test accuracy %.4f", report.scored().getFirst().testAccuracy());
        if (randomCells > 0) System.out.printf(Locale.ROOT, "; median of %d random cells %.4f", randomCells, report.medianRandomAccuracy());
        System.out.println();
        System.out.println("wrote " + out.resolve("genotype.json") + ", " + out.resolve("model.safetensors") + ", " + out.resolve("report.json"));
        return 0;
    }

    private org.sinter.automl.nas.OneShotSearch.Sampling sampling() {
        return switch (oneShotSampling.toLowerCase(java.util.Locale.ROOT)) {
            case "random" -> org.sinter.automl.nas.OneShotSearch.Sampling.RANDOM;
            case "evolution" -> org.sinter.automl.nas.OneShotSearch.Sampling.EVOLUTION;
            default -> throw new UsageException("--one-shot-sampling must be random or evolution, got '" + oneShotSampling + "'");
        };
    }
}
