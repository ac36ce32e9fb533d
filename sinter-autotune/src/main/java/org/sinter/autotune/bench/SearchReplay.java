package org.sinter.autotune.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.measure.MeasureResult;
import org.sinter.autotune.model.CostModel;
import org.sinter.autotune.model.XgbCostModel;
import org.sinter.autotune.search.EvolutionaryExplorer;
import org.sinter.autotune.search.Explorer;
import org.sinter.autotune.search.GridExplorer;
import org.sinter.autotune.search.RandomExplorer;
import org.sinter.autotune.search.SimulatedAnnealingExplorer;
import org.sinter.autotune.search.Tuner;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;

/**
 * Replays search strategies over a table of configurations measured once (the paper's
 * search-efficiency figures without re-timing: every strategy and seed sees the same
 * measurements). Explorers may propose only the table's configurations (the whole space, or a
 * uniform sample of it, as measured); a trial's GFLOP/s is read from the table.
 */
public final class SearchReplay {
    /** The strategies compared: explorer, cost model and its loss, transfer or not. */
    public enum Strategy {
        RANDOM("random"), GRID("grid"), SA_RANK("sa+xgb-rank"), SA_REGRESSION("sa+xgb-reg"), EVOLUTIONARY_RANK("evolutionary+xgb-rank"),
        SA_RANK_TRANSFER("sa+xgb-rank+transfer");

        public final String label;

        Strategy(String label) {
            this.label = label;
        }

        public boolean transfer() { return this == SA_RANK_TRANSFER; }

        public boolean modelGuided() { return this != RANDOM && this != GRID; }

        Explorer explorer() {
            return switch (this) {
                case RANDOM -> new RandomExplorer();
                case GRID -> new GridExplorer();
                case EVOLUTIONARY_RANK -> new EvolutionaryExplorer();
                default -> new SimulatedAnnealingExplorer();
            };
        }

        CostModel model(CostModel base, long seed) {
            return switch (this) {
                case RANDOM, GRID -> null;
                case SA_REGRESSION -> new XgbCostModel(XgbCostModel.Loss.REGRESSION, 30, null, seed);
                case SA_RANK_TRANSFER -> new XgbCostModel(XgbCostModel.Loss.RANK, 30, base, seed, org.sinter.autotune.model.Transfer.HALF_LIFE);
                default -> new XgbCostModel(XgbCostModel.Loss.RANK, 30, null, seed);
            };
        }
    }

    private final Template template;
    private final Map<Config, MeasureResult> table;

    /**
     * The table from a tuning log's records of {@code template}'s workload. Each configuration's
     * cost is its fastest repeat: on a shared machine other jobs only ever add time, so the
     * fastest repeat is the closest to the kernel's own speed.
     */
    public static SearchReplay fromLog(Template template, List<TuningRecord> records) {
        Map<Config, MeasureResult> table = new HashMap<>();
        for (TuningRecord r : records) {
            if (!r.workload().equals(template.decl().workload()) || !r.template().equals(template.name())) continue;
            MeasureResult m = r.ok()
                    ? new MeasureResult(List.of(r.costs().stream().mapToDouble(Double::doubleValue).min().orElseThrow()), null, r.buildSeconds())
                    : MeasureResult.error(r.error(), r.buildSeconds());
            table.put(template.space().of(r.config()), m);
        }
        if (table.isEmpty()) throw new IllegalArgumentException("search replay: the log has no trial of " + template.decl().workload() + " with " + template.name());
        return new SearchReplay(template, table);
    }

    public SearchReplay(Template template, Map<Config, MeasureResult> table) {
        this.template = template;
        // In index order, so that what iterates over the table does the same on every run.
        Map<Config, MeasureResult> sorted = new java.util.LinkedHashMap<>();
        table.keySet().stream().sorted(java.util.Comparator.comparingLong(Config::index)).forEach(c -> sorted.put(c, table.get(c)));
        this.table = java.util.Collections.unmodifiableMap(sorted);
    }

    public int size() { return table.size(); }

    public int valid() { return (int) table.values().stream().filter(MeasureResult::ok).count(); }

    /** The measured GFLOP/s of {@code c} (0 for an error), or NaN when the table does not have it. */
    public double gflops(Config c) {
        MeasureResult m = table.get(c);
        return m == null ? Double.NaN : m.gflops(template.decl().flops());
    }

    /** The table's configurations. */
    public java.util.Set<Config> configs() { return table.keySet(); }

    /** How many configurations of the table reach {@code gflops}. */
    public int countAtLeast(double gflops) {
        return (int) table.values().stream().filter(m -> m.gflops(template.decl().flops()) >= gflops).count();
    }

    /** The GFLOP/s of the table's fastest configuration. */
    public double best() {
        double best = 0;
        for (MeasureResult m : table.values()) best = Math.max(best, m.gflops(template.decl().flops()));
        return best;
    }

    /**
     * Runs {@code strategy} (seeded) over the table until {@code trials} trials, the table is
     * exhausted, or (after at least {@code minTrials}) the best found reaches {@code stopAt};
     * returns the best GFLOP/s after each trial. {@code base} is the transfer model (used only by
     * the transfer strategy).
     */
    public List<Double> run(Strategy strategy, long seed, int trials, int minTrials, double stopAt, CostModel base) {
        if (strategy.transfer() && (base == null || !base.trained())) {
            throw new IllegalArgumentException("search replay: " + strategy.label + " needs a trained base model (history logs of other workloads)");
        }
        return run(strategy.explorer(), strategy.model(base, seed), seed, trials, minTrials, stopAt);
    }

    /** As {@link #run(Strategy, long, int, int, double, CostModel)}, for any explorer and cost model (null: none). */
    public List<Double> run(Explorer explorer, CostModel model, long seed, int trials, int minTrials, double stopAt) {
        Tuner.Measure replay = (t, c) -> {
            MeasureResult m = table.get(c);
            if (m == null) throw new IllegalStateException("search replay: " + c + " is not in the measured table");
            return m;
        };
        int batch = 8;
        Tuner tuner = new Tuner(template, replay, null, explorer, model, batch, seed);
        tuner.state().restrictTo(table.keySet());
        List<Double> curve = new ArrayList<>();
        int limit = Math.min(trials, table.size());
        while (tuner.trials() < limit && !tuner.exhausted()) {
            curve = tuner.tune(Math.min(limit, tuner.trials() + batch), null).bestCurve();
            if (curve.size() >= minTrials && !curve.isEmpty() && curve.getLast() >= stopAt) break;
        }
        return curve;
    }

    /** The first trial (1-based) whose best reaches {@code target}, or -1 if the curve never does. */
    public static int trialsToReach(List<Double> curve, double target) {
        for (int i = 0; i < curve.size(); i++) if (curve.get(i) >= target * (1 - 1e-12)) return i + 1;
        return -1;
    }
}
