package org.sinter.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sinter.learned.bench.Sizes;
import org.sinter.learned.tuning.MixTuning;
import org.sinter.learned.tuning.TrainingStepWorkload;
import org.sinter.learned.tuning.TrainingTuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter bench tune}: learned system tuning. TPE (from the AutoML module) searches a knob
 * set for the best measured throughput, then the winner and the defaults are re-measured
 * alternately and the gain is printed from those figures. Targets: {@code training} (intra-op
 * threads, garbage collector, young generation, SGEMM blocking and the convolution path of a
 * training step, a fresh JVM per measurement) and {@code mix} (the updatable learned index's knobs
 * on a 50/50 insert/lookup mix).
 */
@Command(name = "tune", mixinStandardHelpOptions = true, description = "Tune a knob set with Bayesian optimisation and re-measure the gain over the defaults.")
final class TuneBenchCommand implements Callable<Integer> {
    @Option(names = "--target", defaultValue = "training", description = "training (a training step's JVM and kernel knobs) or mix (the updatable learned index's knobs) (default: ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--trials", defaultValue = "24", description = "TPE trials (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--rounds", defaultValue = "5", description = "alternating re-measurements of defaults and winner (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--model", defaultValue = "cnn", description = "training: cnn (the Lab 1 network) or mlp (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--batch", defaultValue = "64", description = "training: batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--warmup", defaultValue = "20", description = "training: untimed steps per measurement (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--steps", defaultValue = "60", description = "training: timed steps per measurement (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--keys", defaultValue = "lognormal", description = "mix: key set (as bench index) (default: ${DEFAULT-VALUE})")
    String keys;

    @Option(names = "--n", defaultValue = "5M", description = "mix: initial keys (default: ${DEFAULT-VALUE})")
    String n;

    @Option(names = "--ops", defaultValue = "2M", description = "mix: operations per measurement, half inserts (default: ${DEFAULT-VALUE})")
    String ops;

    @Option(names = "--journal", description = "trial journal (JSON lines); an existing one resumes its search")
    Path journal;

    @Override
    public Integer call() throws Exception {
        if (trials < 1 || rounds < 1) throw new UsageException("--trials and --rounds must be >= 1, got " + trials + " and " + rounds);
        int keyCount = 0, opCount = 0;
        try {
            switch (target) {
                case "training" -> {
                    TrainingStepWorkload.model(model);
                    if (batch < 1 || steps < 1 || warmup < 0) throw new UsageException("--batch and --steps must be >= 1 and --warmup >= 0");
                }
                case "mix" -> {
                    keyCount = Math.toIntExact(Sizes.parse(n));
                    opCount = Math.toIntExact(Sizes.parse(ops));
                    if (keyCount < 1 || opCount < 2) throw new UsageException("--n must be >= 1 and --ops >= 2, got " + n + " and " + ops);
                }
                default -> throw new UsageException("--target must be training or mix, got '" + target + "'");
            }
        } catch (UsageException e) {
            throw e;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new UsageException(e.getMessage());
        }
        if (target.equals("training")) TrainingTuning.run(model, batch, trials, rounds, warmup, steps, journal, System.out);
        else MixTuning.run(keys, keyCount, opCount, trials, rounds, journal, System.out);
        return 0;
    }
}
