package org.sinter.automl.bench;

import java.util.Locale;
import java.util.Map;
import org.sinter.automl.tuner.Tuner;
import org.sinter.automl.tuner.Tuners;

/**
 * Runs a tuner on the {@link TestFunction}s, sequentially, for a number of seeds and trials, and
 * prints one line per run: {@code tuner function seed finalRegret regretAfter25 regretAfter50}.
 * {@code bench/hpo_vs_optuna.py} runs it beside Optuna and compares the medians.
 *
 * <pre>java -cp ... org.sinter.automl.bench.TunerBenchmark tpe,gp 20 100 [BRANIN,HARTMANN6,...|all] [FIRST_SEED]</pre>
 * runs seeds {@code FIRST_SEED .. FIRST_SEED + SEEDS - 1} (default from 0), so a later block of seeds
 * can be added to an earlier run without repeating it.
 */
public final class TunerBenchmark {
    private TunerBenchmark() {}

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: TunerBenchmark TUNERS(comma-separated: random,tpe,tpe-multivariate,gp,...) SEEDS TRIALS [FUNCTIONS|all] [FIRST_SEED]");
            System.exit(2);
        }
        String[] tuners = args[0].split(",");
        int seeds = Integer.parseInt(args[1]), trials = Integer.parseInt(args[2]);
        TestFunction[] functions = args.length > 3 && !args[3].equals("all")
                ? java.util.Arrays.stream(args[3].split(",")).map(TestFunction::valueOf).toArray(TestFunction[]::new)
                : TestFunction.values();
        int firstSeed = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        for (TestFunction f : functions) {
            for (String name : tuners) {
                for (int seed = firstSeed; seed < firstSeed + seeds; seed++) {
                    long t0 = System.nanoTime();
                    double[] curve = run(Tuners.create(name, f.space(), seed), f, trials);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "%s %s %d %.9g %.9g %.9g %.3f%n", name, f, seed, curve[trials - 1],
                            curve[Math.min(25, trials) - 1], curve[Math.min(50, trials) - 1], seconds);
                    System.out.flush();
                }
            }
        }
    }

    /** Best-so-far regret after each trial. */
    static double[] run(Tuner tuner, TestFunction f, int trials) {
        double best = Double.POSITIVE_INFINITY;
        double[] curve = new double[trials];
        for (int i = 0; i < trials; i++) {
            Map<String, Object> p = tuner.generateParameters(i).orElseThrow();
            double loss = f.evaluate(p);
            tuner.receiveTrialResult(i, p, loss);
            best = Math.min(best, loss);
            curve[i] = best - f.minimum();
        }
        return curve;
    }
}
