package org.sinter.automl.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.sinter.automl.fidelity.Asha;
import org.sinter.automl.fidelity.Bohb;
import org.sinter.automl.fidelity.Hyperband;
import org.sinter.automl.fidelity.Job;
import org.sinter.automl.fidelity.MultiFidelityScheduler;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.tuner.RandomTuner;

/**
 * Hyperband, ASHA and BOHB against random search on a synthetic learning-curve problem, counting
 * training budget (epochs): how much budget each needs to reach the best final loss that random
 * search finds with {@code randomConfigs} configurations trained to the full budget. A job's budget
 * counts in full (a promoted configuration is retrained from scratch, no checkpoint reuse), which is
 * the pessimistic accounting.
 *
 * <p>The problem: {@code loss(x, b) = branin(x) + a(x) / √b}, {@code a(x) = 20 (1 + sin(3 x0) cos(2 x1))},
 * so the ranking at small budgets is correlated with the final one but not equal to it.
 */
public final class MultiFidelityBenchmark {
    private MultiFidelityBenchmark() {}

    public static final double MIN_BUDGET = 1, MAX_BUDGET = 27, ETA = 3;
    static final SearchSpace SPACE = TestFunction.BRANIN.space();

    public static double loss(Map<String, Object> p, double budget) {
        double x0 = ((Number) p.get("x0")).doubleValue(), x1 = ((Number) p.get("x1")).doubleValue();
        double a = 20 * (1 + Math.sin(3 * x0) * Math.cos(2 * x1));
        return TestFunction.BRANIN.evaluate(p) + a / Math.sqrt(budget);
    }

    /** Random search: the best final loss over {@code configs} configurations, each trained to the full budget. */
    public static double randomSearchBest(long seed, int configs) {
        RandomTuner random = new RandomTuner(SPACE, seed);
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < configs; i++) best = Math.min(best, loss(random.generateParameters(i).orElseThrow(), MAX_BUDGET));
        return best;
    }

    /**
     * Runs {@code scheduler} sequentially until it is done or {@code budgetCap} is spent; returns the
     * budget spent when a full-budget job first reached {@code target} (infinity if never).
     */
    public static double budgetToReach(MultiFidelityScheduler scheduler, double target, double budgetCap) {
        double spent = 0;
        while (!scheduler.done() && spent < budgetCap) {
            Optional<Job> job = scheduler.next();
            if (job.isEmpty()) break; // sequential: nothing is running, so empty means finished
            double l = loss(job.get().parameters(), job.get().budget());
            spent += job.get().budget();
            scheduler.report(job.get(), l);
            if (job.get().budget() >= MAX_BUDGET && l <= target) return spent;
        }
        return Double.POSITIVE_INFINITY;
    }

    public static LongFunction<MultiFidelityScheduler> scheduler(String name) {
        return switch (name) {
            case "hyperband" -> seed -> new Hyperband(SPACE, seed, MIN_BUDGET, MAX_BUDGET, ETA, 1000);
            case "bohb" -> seed -> new Bohb(SPACE, seed, MIN_BUDGET, MAX_BUDGET, ETA, 1000);
            case "asha" -> seed -> new Asha(new RandomTuner(SPACE, seed), MIN_BUDGET, MAX_BUDGET, ETA, 100_000);
            default -> throw new IllegalArgumentException("unknown scheduler '" + name + "'; expected hyperband, bohb or asha");
        };
    }

    /** Per seed: budget to reach random search's best with {@code randomConfigs}, as a fraction of random search's budget. */
    public static double[] budgetFractions(String name, int seeds, int randomConfigs) {
        double randomBudget = randomConfigs * MAX_BUDGET;
        double[] out = new double[seeds];
        for (int s = 0; s < seeds; s++) {
            double target = randomSearchBest(1000 + s, randomConfigs);
            out[s] = budgetToReach(scheduler(name).apply(s), target, 20 * randomBudget) / randomBudget;
        }
        return out;
    }

    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int configs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        System.out.printf(Locale.ROOT, "budget to reach random search's best of %d full-budget (%g) configurations, %d seeds%n",
                configs, MAX_BUDGET, seeds);
        for (String name : new String[] {"hyperband", "asha", "bohb"}) {
            double[] f = budgetFractions(name, seeds, configs);
            System.out.printf(Locale.ROOT, "%-10s median fraction of random search's budget %.3f (seeds: %s)%n", name, median(f),
                    String.join(" ", Arrays.stream(f).mapToObj(v -> Double.isInfinite(v) ? "never" : String.format(Locale.ROOT, "%.3f", v)).toList()));
        }
    }
}
