package org.sinter.learned.tuning;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Tunes the JVM and kernel knobs of a training step ({@link TrainingKnobs}) with TPE for steps per
 * second of the Lab 1 CNN (or an MLP), a fresh JVM per measurement, then re-measures the defaults
 * and the winner alternately: {@code TrainingTuning MODEL BATCH TRIALS ROUNDS [WARMUP STEPS [JOURNAL]]}.
 */
public final class TrainingTuning {
    private TrainingTuning() {}

    /** The objective: {@code warmup} then {@code steps} timed steps in a child JVM with a fixed 3 GiB heap. */
    public static ChildJvmObjective objective(String model, int batch, int warmup, int steps) {
        return new ChildJvmObjective(TrainingStepWorkload.class.getName(), "steps_per_second",
                knobs -> {
                    List<String> o = new ArrayList<>(List.of("-Xms3g", "-Xmx3g"));
                    o.addAll(TrainingKnobs.jvmOptions(knobs));
                    return o;
                },
                knobs -> List.of(model, Integer.toString(batch), Integer.toString(TrainingKnobs.threads(knobs)),
                        Integer.toString(warmup), Integer.toString(steps)),
                600);
    }

    public static void main(String[] args) throws Exception {
        String model = args.length > 0 ? args[0] : "cnn";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int trials = args.length > 2 ? Integer.parseInt(args[2]) : 24;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        int steps = args.length > 5 ? Integer.parseInt(args[5]) : 60;
        run(model, batch, trials, rounds, warmup, steps, args.length > 6 ? Path.of(args[6]) : null, System.out);
    }

    /** Tunes, re-measures and prints; {@code journal} null means a fresh search in a temporary journal. */
    public static TuningResult run(String model, int batch, int trials, int rounds, int warmup, int steps, Path journal, PrintStream out)
            throws IOException, InterruptedException {
        TrainingStepWorkload.model(model); // a bad name fails here, not in every trial
        if (batch < 1 || warmup < 0 || steps < 1) throw new IllegalArgumentException("training tuning: batch and steps must be >= 1 and warm-up >= 0, got " + batch + ", " + steps + ", " + warmup);
        if (journal == null) {
            journal = Files.createTempFile("training-tuning", ".jsonl");
            Files.delete(journal); // a fresh search, not a resume
        }
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "tuning a %s training step (batch %d, %d warm-up + %d timed steps per trial, a JVM each), %d TPE trials, %d cores, journal %s%n",
                model, batch, warmup, steps, trials, cores, journal);
        KnobTuner tuner = new KnobTuner(TrainingKnobs.space(cores), objective(model, batch, warmup, steps));
        TuningResult r = tuner.tune(TrainingKnobs.defaults(cores), trials, rounds, 1, journal, out::println);
        out.printf(Locale.ROOT, "defaults %s: median %.3f steps/s over %d re-measurements %s%n", r.defaults(), r.defaultMedian(), rounds, Arrays.toString(r.defaultScores()));
        out.printf(Locale.ROOT, "best     %s: median %.3f steps/s %s%n", r.best(), r.bestMedian(), Arrays.toString(r.bestScores()));
        out.printf(Locale.ROOT, "gain of the tuned setting over the defaults: %+.1f%%%n", 100 * r.gain());
        return r;
    }
}
