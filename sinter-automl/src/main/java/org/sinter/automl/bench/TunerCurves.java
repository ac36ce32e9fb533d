package org.sinter.automl.bench;

import java.util.Locale;
import org.sinter.automl.tuner.TpeTuner;
import org.sinter.automl.tuner.Tuner;
import org.sinter.automl.tuner.Tuners;

/**
 * The whole best-so-far regret curve of one tuner on one {@link TestFunction}, per seed: one line
 * {@code seed r1 r2 ... rT}, where {@code rt} is the regret after trial t. {@code bench/tpe_curves.py} sets these beside
 * Optuna's curves on the same seeds to see at which trial count the two samplers part.
 *
 * <pre>java -cp ... org.sinter.automl.bench.TunerCurves TUNER FUNCTION FIRST_SEED SEEDS TRIALS</pre>
 * TUNER is a {@link Tuners} name, or {@code tpe-optuna-weights}: the TPE with Optuna's {@code default_weights}
 * (old observations weighed down) in place of its default equal weights, to set the two rules side by side, or
 * {@code tpe-multivariate-equal-weights}: the multivariate TPE with equal weights in place of its default ramp, or
 * {@code tpe-candidates-K}: the TPE drawing K candidates in place of its default 8 (Optuna's is 24).
 */
public final class TunerCurves {
    private TunerCurves() {}

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: TunerCurves TUNER FUNCTION FIRST_SEED SEEDS TRIALS");
            System.exit(2);
        }
        TestFunction f = TestFunction.valueOf(args[1]);
        long first = Long.parseLong(args[2]);
        int seeds = Integer.parseInt(args[3]), trials = Integer.parseInt(args[4]);
        StringBuilder line = new StringBuilder();
        for (long seed = first; seed < first + seeds; seed++) {
            Tuner tuner = switch (args[0]) {
                case "tpe-optuna-weights" -> new TpeTuner(f.space(), seed, 10, 24, false, true, true);
                case "tpe-multivariate-equal-weights" -> new TpeTuner(f.space(), seed, 10, 24, true, true, false);
                default -> args[0].startsWith("tpe-candidates-")
                        ? new TpeTuner(f.space(), seed, 10, Integer.parseInt(args[0].substring("tpe-candidates-".length())))
                        : Tuners.create(args[0], f.space(), seed);
            };
            double[] curve = TunerBenchmark.run(tuner, f, trials);
            line.setLength(0);
            line.append(seed);
            for (double r : curve) line.append(' ').append(String.format(Locale.ROOT, "%.9g", r));
            System.out.println(line);
        }
    }
}
