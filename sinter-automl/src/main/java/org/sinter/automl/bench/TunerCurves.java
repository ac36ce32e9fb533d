package org.sinter.automl.bench;

import java.util.Locale;
import org.sinter.automl.tuner.Tuners;

/**
 * The whole best-so-far regret curve of one tuner on one {@link TestFunction}, per seed: one line
 * {@code seed r1 r2 ... rT}, where {@code rt} is the regret after trial t. {@code bench/tpe_curves.py} sets these beside
 * Optuna's curves on the same seeds to see at which trial count the two samplers part.
 *
 * <pre>java -cp ... org.sinter.automl.bench.TunerCurves TUNER FUNCTION FIRST_SEED SEEDS TRIALS</pre>
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
            double[] curve = TunerBenchmark.run(Tuners.create(args[0], f.space(), seed), f, trials);
            line.setLength(0);
            line.append(seed);
            for (double r : curve) line.append(' ').append(String.format(Locale.ROOT, "%.9g", r));
            System.out.println(line);
        }
    }
}
