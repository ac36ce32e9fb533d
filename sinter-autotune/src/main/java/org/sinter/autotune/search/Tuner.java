package org.sinter.autotune.search;

import java.util.ArrayList;
import java.util.List;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.measure.MeasureResult;
import org.sinter.autotune.model.CostModel;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;

/**
 * The tuning loop of one workload (AutoTVM's Tuner.tune): the explorer proposes a batch, each
 * candidate is measured and logged as it finishes, the cost model is refitted on everything
 * measured, until the trial budget is spent or the space is exhausted. It resumes from the log:
 * trials of the same workload and template already there count, are never measured again, and
 * train the model.
 */
public final class Tuner {
    /** Measures one configuration (the real {@link org.sinter.autotune.measure.Measurer}, or a recorded table in experiments). */
    public interface Measure {
        MeasureResult measure(Template template, Config config);
    }

    /** Called after every trial. */
    public interface Progress {
        void trial(int done, int total, double bestGflops, double etaSeconds);
    }

    /** The outcome: the best configuration (null if none ran), its GFLOP/s, and the best GFLOP/s after each trial. */
    public record Result(Config best, double bestGflops, int trials, List<Double> bestCurve, double wallSeconds, int errors) {}

    private final Template template;
    private final Measure measure;
    private final TuningLog log;
    private final Explorer explorer;
    private final CostModel model;
    private final int batch;
    private final SearchState state;

    public Tuner(Template template, Measure measure, TuningLog log, Explorer explorer, CostModel model, int batch, long seed) {
        this.template = template;
        this.measure = measure;
        this.log = log;
        this.explorer = explorer;
        this.model = model;
        this.batch = batch;
        this.state = new SearchState(template, seed);
        state.setModel(model);
    }

    public SearchState state() { return state; }

    public Result tune(int trials, Progress progress) {
        long t0 = System.nanoTime();
        List<Double> curve = new ArrayList<>();
        Config best = null;
        double bestG = 0;
        int errors = 0;
        List<float[]> feats = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        if (log != null) {
            for (TuningRecord r : log.read()) {
                if (!r.workload().equals(template.decl().workload()) || !r.template().equals(template.name())) continue;
                Config c;
                try {
                    c = template.space().of(r.config());
                } catch (IllegalArgumentException e) {
                    continue; // a record from another version of the template's space
                }
                if (state.visited(c)) continue;
                double g = r.ok() ? r.gflops() : 0;
                state.record(c, g);
                addSample(c, g, feats, labels);
                if (!r.ok()) errors++;
                if (g > bestG) {
                    bestG = g;
                    best = c;
                }
                curve.add(bestG);
            }
        }
        refit(feats, labels);
        int done = curve.size(), resumed = done;
        while (done < trials) {
            List<Config> next = explorer.next(Math.min(batch, trials - done), state);
            if (next.isEmpty()) break;
            for (Config c : next) {
                MeasureResult m = measure.measure(template, c);
                double g = m.gflops(template.decl().flops());
                state.record(c, g);
                addSample(c, g, feats, labels);
                if (!m.ok()) errors++;
                if (g > bestG) {
                    bestG = g;
                    best = c;
                }
                curve.add(bestG);
                done++;
                if (log != null) {
                    log.append(new TuningRecord(template.decl().workload(), template.name(), c.values(), m.costs(), m.error(), m.buildSeconds(), g,
                            System.currentTimeMillis() / 1000.0, explorer.name(), TuningLog.VERSIONS));
                }
                if (progress != null) {
                    double per = (System.nanoTime() - t0) / 1e9 / Math.max(1, done - resumed);
                    progress.trial(done, trials, bestG, per * (trials - done));
                }
            }
            refit(feats, labels);
        }
        return new Result(best, bestG, done, curve, (System.nanoTime() - t0) / 1e9, errors);
    }

    private void addSample(Config c, double gflops, List<float[]> feats, List<Double> labels) {
        float[] f = state.features(c);
        if (f == null) return; // rejected by the template: nothing to learn from its loops
        feats.add(f);
        labels.add(gflops);
    }

    private void refit(List<float[]> feats, List<Double> labels) {
        if (model == null || feats.size() < 2) return;
        List<Integer> groups = new ArrayList<>();
        for (int i = 0; i < feats.size(); i++) groups.add(0);
        model.fit(feats, labels, groups);
    }
}
