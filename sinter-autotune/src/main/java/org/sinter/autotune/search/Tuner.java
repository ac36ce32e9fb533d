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

        /** Called with each batch before its candidates are measured one by one (the real measurer compiles them together). */
        default void prepare(Template template, List<Config> batch) {}
    }

    /** The real measurer: builds each explorer batch in one javac run, then times its candidates one by one. */
    public static Measure of(org.sinter.autotune.measure.Measurer m) {
        return new Measure() {
            @Override public MeasureResult measure(Template template, Config config) { return m.measure(template, config); }
            @Override public void prepare(Template template, List<Config> batch) { m.prebuild(template, batch); }
        };
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

    private final List<Double> curve = new ArrayList<>();
    private final List<float[]> feats = new ArrayList<>();
    private final List<Double> labels = new ArrayList<>();
    private Config best;
    private double bestG;
    private int errors;
    private boolean loaded;
    private boolean exhausted;

    /** Whether the explorer has run out of configurations to propose. */
    public boolean exhausted() { return exhausted; }

    /** Trials so far (resumed ones included). */
    public int trials() { return curve.size(); }

    public double bestGflops() { return bestG; }

    /**
     * Measures until {@code trials} trials in all (resumed ones included) have run, or the space is
     * exhausted; may be called again with a larger total to go on (the task scheduler does).
     */
    public Result tune(int trials, Progress progress) {
        long t0 = System.nanoTime();
        if (!loaded) {
            loaded = true;
            resume();
            refit();
        }
        int resumed = curve.size();
        while (curve.size() < trials) {
            List<Config> next = withSeeds(Math.min(batch, trials - curve.size()));
            if (next.isEmpty()) {
                exhausted = true;
                break;
            }
            measure.prepare(template, next);
            for (Config c : next) {
                MeasureResult m = measure.measure(template, c);
                double g = m.gflops(template.decl().flops());
                add(c, g, !m.ok());
                if (log != null) {
                    log.append(new TuningRecord(template.decl().workload(), template.name(), c.values(), m.costs(), m.error(), m.buildSeconds(), g,
                            System.currentTimeMillis() / 1000.0, explorer.name(), TuningLog.VERSIONS));
                }
                if (progress != null) {
                    double per = (System.nanoTime() - t0) / 1e9 / Math.max(1, curve.size() - resumed);
                    progress.trial(curve.size(), trials, bestG, per * (trials - curve.size()));
                }
            }
            refit();
        }
        return new Result(best, bestG, curve.size(), List.copyOf(curve), (System.nanoTime() - t0) / 1e9, errors);
    }

    /** The next batch of {@code n}: the template's seeds not yet measured (the first batch), then the explorer's picks. */
    private List<Config> withSeeds(int n) {
        List<Config> next = new ArrayList<>();
        for (Config c : template.seeds()) if (next.size() < n && !state.visited(c) && !next.contains(c)) next.add(c);
        if (next.size() == n) return next;
        for (Config c : explorer.next(n - next.size(), state)) if (!next.contains(c)) next.add(c);
        return next;
    }

    /** The trials of this workload and template already in the log: never measured again, and they train the model. */
    private void resume() {
        if (log == null) return;
        for (TuningRecord r : log.read()) {
            if (!r.trial() || !r.workload().equals(template.decl().workload()) || !r.template().equals(template.name())) continue;
            Config c;
            try {
                c = template.space().of(r.config());
            } catch (IllegalArgumentException e) {
                continue; // a record from another version of the template's space
            }
            if (state.visited(c)) continue;
            add(c, r.ok() ? r.gflops() : 0, !r.ok());
        }
    }

    private void add(Config c, double g, boolean error) {
        state.record(c, g);
        addSample(c, g);
        if (error) errors++;
        if (g > bestG) {
            bestG = g;
            best = c;
        }
        curve.add(bestG);
    }

    private void addSample(Config c, double gflops) {
        float[] f = state.features(c);
        if (f == null) return; // rejected by the template: nothing to learn from its loops
        feats.add(f);
        labels.add(gflops);
    }

    private void refit() {
        if (model == null || feats.size() < 2) return;
        List<Integer> groups = new ArrayList<>();
        for (int i = 0; i < feats.size(); i++) groups.add(0);
        model.fit(feats, labels, groups);
    }
}
