package org.sinter.automl.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sinter.automl.examples.FashionMnistTrial;
import org.sinter.automl.fidelity.Asha;
import org.sinter.automl.fidelity.Hyperband;
import org.sinter.automl.fidelity.Job;
import org.sinter.automl.fidelity.MultiFidelityScheduler;
import org.sinter.automl.manager.TrialProtocol;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.space.SearchSpaceJson;
import org.sinter.automl.tuner.RandomTuner;
import org.sinter.data.datasets.FashionMNIST;

/**
 * Issue 17's multi-fidelity bar on Lab 8 with real training: how many training epochs ASHA and Hyperband need to reach
 * the best validation accuracy that random search finds with {@code --random-trials} configurations of the Lab 8 space
 * each trained {@code --max-epochs} epochs, as a fraction of random search's epochs (bar: at most 1/3, median over
 * seeds).
 *
 * <p>Every configuration is trained by {@link FashionMnistTrial#train} (the trial program {@code hpo run} launches),
 * with its checkpoint directory, so a promoted job resumes from its lower rung exactly as a trial process does
 * ({@code FashionMnistTrialTest} shows a resumed run ends with the uninterrupted run's accuracy). The three methods
 * draw configuration {@code i} from the same random stream ({@code RandomTuner(space, seed)}), and training is
 * deterministic given the configuration and its training seed, so a configuration is trained once, as far as any
 * method asks, and its accuracy after every epoch is kept: a method asking for epochs already trained reads them
 * instead of training again. This changes no method's results, only the benchmark's cost. The schedulers run with
 * one worker (jobs in the order they hand them out), so each run is reproducible.
 *
 * <p>Epochs are counted per method as a trial process would train them: a promoted job trains only the epochs from
 * its configuration's previous budget to its own (checkpoint reuse); the pessimistic count (every job from scratch) is
 * printed beside it. A method stops when a full-budget job reaches the target, or when it has spent random search's
 * epochs ("never").
 *
 * <pre>java -cp ... org.sinter.automl.bench.Lab8FidelityBenchmark [--seeds 3] [--first-seed 0] [--random-trials 10 (Lab 8 reference config's maxTrialNum)]
 *     [--min-epochs 1] [--max-epochs 9] [--eta 3] [--train 2000] [--validation 1000] [--space examples/hpo/lab8-space.json]
 *     [--work runs/hpo/lab8-fidelity] [--data DIR]</pre>
 */
public final class Lab8FidelityBenchmark {
    private Lab8FidelityBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        int seeds = Integer.parseInt(o.getOrDefault("--seeds", "3"));
        int firstSeed = Integer.parseInt(o.getOrDefault("--first-seed", "0"));
        int randomTrials = Integer.parseInt(o.getOrDefault("--random-trials", "10"));
        int maxEpochs = Integer.parseInt(o.getOrDefault("--max-epochs", "9"));
        // The schedulers' smallest budget: one epoch by default; larger when one epoch ranks configurations poorly.
        int minEpochs = Integer.parseInt(o.getOrDefault("--min-epochs", "1"));
        if (minEpochs < 1 || minEpochs > maxEpochs)
            throw new IllegalArgumentException("Lab8FidelityBenchmark: --min-epochs must be in [1, --max-epochs], got " + minEpochs);
        double eta = Double.parseDouble(o.getOrDefault("--eta", "3"));
        int trainSize = Integer.parseInt(o.getOrDefault("--train", "2000"));
        int validationSize = Integer.parseInt(o.getOrDefault("--validation", "1000"));
        SearchSpace space = SearchSpaceJson.parse(Files.readString(Path.of(o.getOrDefault("--space", "examples/hpo/lab8-space.json"))));
        Path work = Path.of(o.getOrDefault("--work", "runs/hpo/lab8-fidelity"));
        FashionMNIST data = FashionMNIST.load(Path.of(o.getOrDefault("--data", FashionMNIST.DEBIAN_DIR.toString())));

        int randomEpochs = randomTrials * maxEpochs;
        System.out.printf(Locale.ROOT, "Lab 8 space, Fashion-MNIST %d training / %d validation images; random search: %d configurations x %d epochs = %d epochs; "
                + "eta %s, budgets %d-%d; one worker%n", trainSize, validationSize, randomTrials, maxEpochs, randomEpochs, fmt(eta), minEpochs, maxEpochs);
        Map<String, List<Double>> fractions = new HashMap<>();
        for (int seed = firstSeed; seed < firstSeed + seeds; seed++) {
            long t0 = System.nanoTime();
            Curves curves = new Curves(space, seed, work.resolve("seed-" + seed), data, trainSize, validationSize);
            double target = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < randomTrials; i++) target = Math.max(target, curves.accuracy(i, maxEpochs));
            System.out.printf(Locale.ROOT, "seed %d: random search best %.4f (%d epochs)%n", seed, target, randomEpochs);
            Map<String, MultiFidelityScheduler> schedulers = new java.util.LinkedHashMap<>();
            schedulers.put("asha", new Asha(new RandomTuner(space, seed), minEpochs, maxEpochs, eta, 100_000));
            schedulers.put("hyperband", new Hyperband(space, seed, minEpochs, maxEpochs, eta, 1000));
            for (var e : schedulers.entrySet()) {
                Outcome r = epochsToReach(e.getValue(), curves, target, maxEpochs, randomEpochs);
                double fraction = r.reached() ? r.epochs() / (double) randomEpochs : Double.POSITIVE_INFINITY;
                fractions.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(fraction);
                System.out.printf(Locale.ROOT, "seed %d: %-9s %s: %d epochs (%d from scratch), %d jobs, %d configurations, fraction %s%n",
                        seed, e.getKey(), r.reached() ? "reached " + String.format(Locale.ROOT, "%.4f", r.accuracy()) : "never reached it",
                        r.epochs(), r.scratchEpochs(), r.jobs(), r.configurations(), r.reached() ? String.format(Locale.ROOT, "%.3f", fraction) : "never");
            }
            System.out.printf(Locale.ROOT, "seed %d: %d configurations trained, %d epochs trained in all, %.0f s%n",
                    seed, curves.configurations(), curves.epochsTrained(), (System.nanoTime() - t0) / 1e9);
        }
        for (var e : fractions.entrySet()) {
            double[] f = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            double median = MultiFidelityBenchmark.median(f);
            System.out.printf(Locale.ROOT, "%s: median fraction of random search's epochs %s over %d seeds (bar <= 1/3: %s)%n", e.getKey(),
                    Double.isInfinite(median) ? "never" : String.format(Locale.ROOT, "%.3f", median), f.length, median <= 1 / 3.0 ? "met" : "not met");
        }
    }

    record Outcome(boolean reached, double accuracy, int epochs, int scratchEpochs, int jobs, int configurations) {}

    /**
     * Runs {@code scheduler} with one worker until a job at the full budget reaches {@code target} accuracy or the
     * epochs (counted with checkpoint reuse) would pass {@code cap}.
     */
    static Outcome epochsToReach(MultiFidelityScheduler scheduler, LearningCurves curves, double target, int maxEpochs, int cap) throws Exception {
        Map<Integer, Integer> trainedTo = new HashMap<>();
        int epochs = 0, scratch = 0, jobs = 0;
        while (!scheduler.done()) {
            Optional<Job> next = scheduler.next();
            if (next.isEmpty()) break; // one worker: nothing is running, so empty means finished
            Job job = next.get();
            int budget = (int) Math.round(job.budget());
            int extra = budget - trainedTo.getOrDefault(job.config(), 0);
            if (epochs + extra > cap) break;
            epochs += extra;
            scratch += budget;
            jobs++;
            trainedTo.merge(job.config(), budget, Math::max);
            double accuracy = curves.accuracy(job.config(), budget);
            scheduler.report(job, -accuracy);
            if (budget >= maxEpochs && accuracy >= target) return new Outcome(true, accuracy, epochs, scratch, jobs, trainedTo.size());
        }
        return new Outcome(false, Double.NaN, epochs, scratch, jobs, trainedTo.size());
    }

    /** Validation accuracy of configuration {@code config} after {@code epoch} epochs. */
    interface LearningCurves {
        double accuracy(int config, int epoch) throws Exception;
    }

    /**
     * Validation accuracy after each epoch of each configuration {@code i} of {@code RandomTuner(space, seed)}, trained
     * on demand by {@link FashionMnistTrial#train} from its checkpoint, as far as anyone has asked.
     */
    static final class Curves implements LearningCurves {
        private final RandomTuner configs;
        private final long seed;
        private final Path dir;
        private final FashionMNIST data;
        private final int trainSize, validationSize;
        private final Map<Integer, List<Double>> accuracies = new HashMap<>();
        private int epochsTrained;

        Curves(SearchSpace space, long seed, Path dir, FashionMNIST data, int trainSize, int validationSize) throws IOException {
            this.configs = new RandomTuner(space, seed);
            this.seed = seed;
            this.dir = dir;
            this.data = data;
            this.trainSize = trainSize;
            this.validationSize = validationSize;
            if (Files.exists(dir)) throw new IllegalArgumentException("Lab8FidelityBenchmark: " + dir + " exists; remove it or pass another --work");
            Files.createDirectories(dir);
        }

        @Override
        public double accuracy(int config, int epoch) throws Exception {
            List<Double> curve = accuracies.computeIfAbsent(config, k -> new ArrayList<>());
            if (curve.size() < epoch) {
                Path checkpoints = dir.resolve("config-" + config);
                Files.createDirectories(checkpoints);
                Map<String, Object> p = configs.generateParameters(config).orElseThrow();
                // The trial program reports each epoch's accuracy as a protocol line on stdout: read them from there.
                PrintStream out = System.out;
                ByteArrayOutputStream captured = new ByteArrayOutputStream();
                try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
                    System.setOut(capture);
                    FashionMnistTrial.train(p, epoch, Optional.of(checkpoints), data, trainSize, validationSize, 1000L * seed + config);
                } finally {
                    System.setOut(out);
                }
                for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
                    if (!line.startsWith(TrialProtocol.INTERMEDIATE + " ")) continue;
                    curve.add(Double.parseDouble(line.substring(TrialProtocol.INTERMEDIATE.length() + 1).trim()));
                    epochsTrained++;
                }
                if (curve.size() != epoch)
                    throw new IllegalStateException("Lab8FidelityBenchmark: configuration " + config + " reported " + curve.size()
                            + " epochs, expected " + epoch);
            }
            return curve.get(epoch - 1);
        }

        int configurations() { return accuracies.size(); }

        int epochsTrained() { return epochsTrained; }
    }

    private static Map<String, String> options(String[] args) {
        List<String> known = List.of("--seeds", "--first-seed", "--random-trials", "--min-epochs", "--max-epochs", "--eta", "--train", "--validation",
                "--space", "--work", "--data");
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!known.contains(args[i]))
                throw new IllegalArgumentException("Lab8FidelityBenchmark: unknown option '" + args[i] + "'; expected one of " + known);
            if (i + 1 >= args.length) throw new IllegalArgumentException("Lab8FidelityBenchmark: " + args[i] + " needs a value");
            o.put(args[i], args[i + 1]);
        }
        return o;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
