package org.sinter.cli.tune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.sinter.autotune.bench.SearchReplay;
import org.sinter.autotune.bench.SearchReplay.Strategy;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.model.CostModel;
import org.sinter.autotune.model.Transfer;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Workloads;
import org.sinter.cli.plot.LineChart;

/**
 * The paper's search-efficiency comparison, replayed over one workload's measured configuration
 * space (bench/autotune_search.sh measures it with MeasureSpace, and the transfer history with
 * TuneWorkloads). Per seed: random search's best GFLOP/s within BUDGET trials is the target;
 * every strategy runs (same seed) until it reaches that target (and, for the plot, at least
 * PLOT_TRIALS trials if model-guided, BUDGET if not: each curve is drawn as far as every seed's
 * run went); the trials each needed to reach the target and 95% of it are printed per seed
 * and averaged, with the bar's ratios: the model-guided search's trials over BUDGET (bar ≤ 1/3),
 * and the model-guided search's trials to 95% over the same with transfer (bar ≥ 2). Writes a
 * PNG of mean best GFLOP/s vs trials, and one of the first 64 trials beside it (PNG's name + _first64).
 *
 *   SearchEfficiencyBench WORKLOAD SPACE_LOG HISTORY_LOG SEEDS BUDGET PLOT_TRIALS PNG [STRATEGY,...]
 */
public final class SearchEfficiencyBench {
    private SearchEfficiencyBench() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 7) throw new IllegalArgumentException("usage: SearchEfficiencyBench WORKLOAD SPACE_LOG HISTORY_LOG SEEDS BUDGET PLOT_TRIALS PNG [STRATEGY,...]");
        ComputeDecl d = Workloads.parse(args[0]);
        Template t = Templates.of(d);
        SearchReplay replay = SearchReplay.fromLog(t, TuningLog.read(Path.of(args[1])));
        List<TuningRecord> history = TuningLog.read(Path.of(args[2])).stream().filter(r -> !r.workload().equals(d.workload())).toList();
        int seeds = Integer.parseInt(args[3]), budget = Integer.parseInt(args[4]), plotTrials = Integer.parseInt(args[5]);
        Path png = Path.of(args[6]);
        List<Strategy> strategies = args.length > 7 ? Arrays.stream(args[7].split(",")).map(s -> Strategy.valueOf(s.strip().toUpperCase(Locale.ROOT))).toList()
                : List.of(Strategy.values());
        if (replay.size() < budget) throw new IllegalArgumentException("search efficiency: the table has " + replay.size() + " configurations, fewer than the budget " + budget);
        System.out.printf(Locale.ROOT, "%s with %s: %d of %d configurations measured (%d valid), best %.1f GFLOP/s (fastest repeat); transfer history: %d records of %d other workloads%n",
                d.workload(), t.name(), replay.size(), t.space().size(), replay.valid(), replay.best(), history.size(),
                history.stream().map(TuningRecord::workload).distinct().count());
        System.out.printf(Locale.ROOT, "configurations within 95%% of the table's best: %d; within 90%%: %d%n", replay.countAtLeast(0.95 * replay.best()),
                replay.countAtLeast(0.90 * replay.best()));

        double[] target = new double[seeds];
        int[][] toTarget = new int[strategies.size()][seeds], to95 = new int[strategies.size()][seeds];
        double[][] mean = new double[strategies.size()][budget];
        int[] plotted = new int[strategies.size()];
        Arrays.fill(plotted, budget);
        for (int s = 0; s < seeds; s++) {
            long seed = 1000 + s;
            target[s] = max(replay.run(Strategy.RANDOM, seed, budget, budget, Double.POSITIVE_INFINITY, null));
            CostModel base = strategies.stream().anyMatch(Strategy::transfer) ? Transfer.baseModel(history, d.workload(), Transfer.Options.defaults(), seed) : null;
            for (int k = 0; k < strategies.size(); k++) {
                Strategy st = strategies.get(k);
                long t0 = System.nanoTime();
                // Model-free strategies are cheap to replay: run them to the whole budget for the plot.
                int minTrials = st.modelGuided() ? plotTrials : budget;
                List<Double> curve = replay.run(st, seed, replay.size(), minTrials, target[s], base);
                plotted[k] = Math.min(plotted[k], Math.min(curve.size(), budget));
                toTarget[k][s] = SearchReplay.trialsToReach(curve, target[s]);
                to95[k][s] = SearchReplay.trialsToReach(curve, 0.95 * target[s]);
                // Every strategy runs until it reaches the target, which is in the table, or the table is exhausted.
                if (toTarget[k][s] < 0) throw new IllegalStateException(st.label + " (seed " + seed + ") ended without reaching a configuration of its own table");
                for (int i = 0; i < Math.min(curve.size(), budget); i++) mean[k][i] += curve.get(i) / seeds;
                System.err.printf(Locale.ROOT, "seed %d %s: target %.1f GFLOP/s reached at trial %d, 95%% at %d (%.1f s of replay)%n", seed, st.label, target[s],
                        toTarget[k][s], to95[k][s], (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.println("random search's best in " + budget + " trials, per seed (GFLOP/s): " + Arrays.toString(Arrays.stream(target).map(x -> Math.round(x * 10) / 10.0).toArray()));
        System.out.printf(Locale.ROOT, "| strategy | trials to random's best-in-%d, per seed | mean | mean / %d | trials to 95%% of it, per seed | mean |%n", budget, budget);
        System.out.println("| --- | --- | ---: | ---: | --- | ---: |");
        for (int k = 0; k < strategies.size(); k++) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.3f | %s | %.1f |%n", strategies.get(k).label, Arrays.toString(toTarget[k]), avg(toTarget[k]),
                    avg(toTarget[k]) / budget, Arrays.toString(to95[k]), avg(to95[k]));
        }
        int guided = strategies.indexOf(Strategy.SA_RANK), transfer = strategies.indexOf(Strategy.SA_RANK_TRANSFER);
        if (guided >= 0) {
            System.out.printf(Locale.ROOT, "bar 1: model-guided (sa+xgb-rank) needs %.3f of random's %d trials to reach random's best (bar <= 0.333)%n",
                    avg(toTarget[guided]) / budget, budget);
        }
        if (guided >= 0 && transfer >= 0) {
            System.out.printf(Locale.ROOT, "bar 2: to 95%% of it, model-guided %.1f trials, with transfer %.1f: %.2fx fewer (bar >= 2)%n", avg(to95[guided]), avg(to95[transfer]),
                    avg(to95[guided]) / avg(to95[transfer]));
        }
        if (png.getParent() != null) Files.createDirectories(png.getParent());
        String title = "Search efficiency on " + d.workload() + " (mean of " + seeds + " seeds)";
        chart(title, strategies, mean, plotted, budget).writePng(png);
        // The model-guided curves part in their first few batches, which the whole budget's scale hides.
        String name = png.getFileName().toString();
        Path early = png.resolveSibling(name.replaceFirst("(\\.png)?$", "_first" + EARLY_TRIALS + ".png"));
        chart(title + ", first " + EARLY_TRIALS + " trials", strategies, mean, plotted, EARLY_TRIALS).writePng(early);
    }

    private static final int EARLY_TRIALS = 64;

    private static LineChart chart(String title, List<Strategy> strategies, double[][] mean, int[] plotted, int upTo) {
        LineChart chart = new LineChart(title).xLabel("trials").yLabel("best GFLOP/s");
        for (int k = 0; k < strategies.size(); k++) {
            double[] x = new double[Math.min(upTo, plotted[k])];
            for (int i = 0; i < x.length; i++) x[i] = i + 1;
            chart.add(strategies.get(k).label, x, Arrays.copyOf(mean[k], x.length));
        }
        return chart;
    }

    private static double max(List<Double> curve) {
        return curve.isEmpty() ? 0 : curve.getLast();
    }

    private static double avg(int[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
