package org.sinter.automl.nas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.sinter.automl.nas.CellStack.NetworkShape;
import org.sinter.data.datasets.FashionMNIST;
import org.sinter.io.AtomicFiles;

/**
 * Issue 17's NAS bar as one run: DARTS searches a cell on Fashion-MNIST (train / validation carved from the training
 * set), optionally one-shot random sampling does too, then the found cells and {@code randomCells} cells drawn uniformly
 * from the same space are each retrained from scratch with the same recipe and budget and scored on the test set.
 * Writes {@code genotype.json} (DARTS' cell), {@code model.safetensors} (its retrained network, loadable with
 * {@link DerivedNetwork#load}) and {@code report.json} (everything measured) to the output directory.
 */
public final class NasExperiment {
    private NasExperiment() {}

    public record Settings(NetworkShape shape, DartsSearch.Options search, int trainSize, int validationSize, int testSize,
                           int retrainEpochs, double retrainLr, int randomCells, int oneShotCandidates, OneShotSearch.Sampling oneShotSampling,
                           Path data, Path out) {
        public Settings {
            if (randomCells < 0) throw new IllegalArgumentException("nas: --random-cells must be >= 0, got " + randomCells);
            if (oneShotCandidates < 0) throw new IllegalArgumentException("nas: --one-shot must be >= 0, got " + oneShotCandidates);
            java.util.Objects.requireNonNull(oneShotSampling, "oneShotSampling");
        }

        /** Settings whose one-shot search (if any) samples its candidates at random. */
        public Settings(NetworkShape shape, DartsSearch.Options search, int trainSize, int validationSize, int testSize,
                        int retrainEpochs, double retrainLr, int randomCells, int oneShotCandidates, Path data, Path out) {
            this(shape, search, trainSize, validationSize, testSize, retrainEpochs, retrainLr, randomCells, oneShotCandidates,
                    OneShotSearch.Sampling.RANDOM, data, out);
        }
    }

    /** One retrained cell: where it came from, the cell, its test accuracy, its parameter count, seconds to retrain. */
    public record Scored(String method, Genotype genotype, double testAccuracy, long parameters, double seconds) {}

    public record Report(Genotype darts, List<Scored> scored, double medianRandomAccuracy, double searchSeconds) {
        public Scored find(String method) {
            return scored.stream().filter(s -> s.method().equals(method)).findFirst().orElse(null);
        }
    }

    public static Report run(Settings s, Consumer<String> log) throws IOException {
        if (!Files.isRegularFile(s.data().resolve(FashionMNIST.FILES.getFirst())))
            throw new IllegalArgumentException("nas: no Fashion-MNIST in " + s.data() + " (Debian's dataset-fashion-mnist installs it in "
                    + FashionMNIST.DEBIAN_DIR + "; or pass --data DIR)");
        FashionMNIST fm = FashionMNIST.load(s.data());
        NasData data = NasData.of(fm.train(), fm.test(), s.trainSize(), s.validationSize(), s.testSize());
        Files.createDirectories(s.out());
        ObjectMapper json = new ObjectMapper();
        ObjectNode report = json.createObjectNode();
        report.put("dataset", "fashion-mnist").put("train", s.trainSize()).put("validation", s.validationSize()).put("test", s.testSize());
        report.putObject("shape").put("channels", s.shape().channels()).put("cells", s.shape().cells()).put("nodes", s.shape().nodes());
        report.set("search_options", json.valueToTree(s.search()));
        report.putObject("retrain").put("epochs", s.retrainEpochs()).put("lr", s.retrainLr()).put("images", s.trainSize() + s.validationSize());

        long t0 = System.nanoTime();
        log.accept("DARTS search: " + s.search().epochs() + " epochs (" + s.search().warmupEpochs() + " weights only), "
                + s.trainSize() + " train / " + s.validationSize() + " validation images");
        DartsSearch.Result darts = DartsSearch.search(data, s.shape(), s.search(), e -> log.accept(String.format(
                "  epoch %d: train loss %.4f, supernet validation accuracy %.4f, cell %s", e.epoch(), e.trainLoss(), e.validationAccuracy(), e.genotype())));
        double searchSeconds = (System.nanoTime() - t0) / 1e9;
        ArrayNode epochs = report.putArray("darts_epochs");
        for (DartsSearch.EpochReport e : darts.epochs())
            epochs.addObject().put("epoch", e.epoch()).put("train_loss", e.trainLoss()).put("validation_accuracy", e.validationAccuracy())
                    .put("genotype", e.genotype().toString());
        report.set("darts_weights", json.valueToTree(DartsSearch.softmaxRows(darts.network().alpha())));
        report.put("darts_search_seconds", searchSeconds);
        AtomicFiles.write(s.out().resolve("genotype.json"), (darts.genotype().toJson() + "\n").getBytes(StandardCharsets.UTF_8));
        log.accept(String.format("DARTS cell (%.0f s): %s", searchSeconds, darts.genotype()));

        List<String> methods = new ArrayList<>();
        List<Genotype> cells = new ArrayList<>();
        methods.add("darts");
        cells.add(darts.genotype());
        if (s.oneShotCandidates() > 0) {
            long t1 = System.nanoTime();
            OneShotSearch.Result oneShot = OneShotSearch.search(data, s.shape(), s.search(), s.oneShotCandidates(), s.oneShotSampling(),
                    m -> log.accept("  " + m));
            report.put("one_shot_sampling", s.oneShotSampling().name().toLowerCase(java.util.Locale.ROOT));
            double seconds = (System.nanoTime() - t1) / 1e9;
            report.put("one_shot_search_seconds", seconds);
            ArrayNode ranked = report.putArray("one_shot_candidates");
            for (OneShotSearch.Candidate c : oneShot.ranked())
                ranked.addObject().put("genotype", c.genotype().toString()).put("shared_weight_validation_accuracy", c.validationAccuracy());
            log.accept(String.format("one-shot cell (%.0f s, best of %d by shared-weight validation accuracy %.4f): %s", seconds,
                    s.oneShotCandidates(), oneShot.ranked().getFirst().validationAccuracy(), oneShot.best()));
            methods.add("one-shot");
            cells.add(oneShot.best());
        }
        SplittableRandom random = new SplittableRandom(s.search().seed() + 1000);
        for (int k = 0; k < s.randomCells(); k++) {
            methods.add("random-" + k);
            cells.add(Genotype.random(s.shape().nodes(), random));
        }

        NasData retrainData = data.mergedForRetraining();
        Retraining.Options recipe = new Retraining.Options(s.retrainEpochs(), s.search().batchSize(), s.retrainLr(), s.search().seed());
        List<Scored> scored = new ArrayList<>();
        ArrayNode results = report.putArray("retrained");
        for (int i = 0; i < cells.size(); i++) {
            long t2 = System.nanoTime();
            Retraining.Result r = Retraining.train(cells.get(i), s.shape(), retrainData, recipe);
            Scored sc = new Scored(methods.get(i), cells.get(i), r.testAccuracy(), r.parameters(), (System.nanoTime() - t2) / 1e9);
            scored.add(sc);
            results.addObject().put("method", sc.method()).put("genotype", sc.genotype().toString()).put("genotype_json", sc.genotype().toJson())
                    .put("test_accuracy", sc.testAccuracy()).put("parameters", sc.parameters()).put("final_train_loss", r.finalTrainLoss())
                    .put("seconds", sc.seconds());
            log.accept(String.format("retrained %-9s test accuracy %.4f (%d parameters, %.0f s): %s", sc.method(), sc.testAccuracy(),
                    sc.parameters(), sc.seconds(), sc.genotype()));
            if (i == 0) r.network().save(s.out().resolve("model.safetensors"));
            AtomicFiles.write(s.out().resolve("report.json"), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
        }
        double median = median(scored.stream().filter(x -> x.method().startsWith("random-")).mapToDouble(Scored::testAccuracy).toArray());
        report.put("median_random_test_accuracy", median);
        report.put("darts_test_accuracy", scored.getFirst().testAccuracy());
        if (s.randomCells() > 0) report.put("darts_beats_median_random", scored.getFirst().testAccuracy() > median);
        AtomicFiles.write(s.out().resolve("report.json"), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
        return new Report(darts.genotype(), scored, median, searchSeconds);
    }

    static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
