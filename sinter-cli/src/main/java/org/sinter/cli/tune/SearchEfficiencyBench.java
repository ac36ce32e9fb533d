package org.sinter.cli.tune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.sinter.Sinter;
import org.sinter.autotune.bench.ResNet18Convs;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.measure.MeasureResult;
import org.sinter.autotune.measure.Measurer;
import org.sinter.autotune.model.Transfer;
import org.sinter.autotune.model.XgbCostModel;
import org.sinter.autotune.search.GridExplorer;
import org.sinter.autotune.search.RandomExplorer;
import org.sinter.autotune.search.SimulatedAnnealingExplorer;
import org.sinter.autotune.search.Tuner;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Operators;
import org.sinter.cli.plot.LineChart;

/**
 * The paper's search-efficiency comparison on one workload whose whole configuration space is
 * measured once (every configuration, logged: resumable), then replayed: each strategy's trials
 * read their costs from that table, so strategies and seeds compare on the same measurements
 * without re-timing. Strategies: random; simulated annealing over the XGBoost rank model; the
 * same with transfer from other workloads' logs. Prints, averaged over the seeds, the trials each
 * needs to reach the space's best and 95% of it, and writes a PNG of mean best GFLOP/s vs trials.
 *
 *   SearchEfficiencyBench LAYER SPACE_LOG HISTORY_LOG SEEDS THREADS PNG
 */
public final class SearchEfficiencyBench {
    private SearchEfficiencyBench() {}

    public static void main(String[] args) throws IOException {
        String layer = args[0];
        Path spaceLog = Path.of(args[1]), history = Path.of(args[2]);
        int seeds = Integer.parseInt(args[3]);
        Sinter.setNumThreads(Integer.parseInt(args[4]));
        Path png = Path.of(args[5]);
        ComputeDecl d = Operators.conv2d(ResNet18Convs.all().get(layer));
        Template t = Templates.of(d);
        int size = (int) t.space().size();
        // 1. Measure the whole space once (grid order; resumes from the log).
        long t0 = System.nanoTime();
        // Quick timing (1 warm-up call, 3 repeats of >= 2 ms): the ranking of configurations is what
        // the replay needs, and javac, not the kernel, dominates a trial's time.
        try (Measurer m = new Measurer(d, inputs(d), Measurer.Options.defaults().quick())) {
            new Tuner(t, Tuner.of(m), new TuningLog(spaceLog), new GridExplorer(), null, 8, 0).tune(size, null);
        }
        System.err.printf(Locale.ROOT, "measured the space of %s (%d configurations) in %.0f s%n", layer, size, (System.nanoTime() - t0) / 1e9);
        Map<Config, MeasureResult> table = new HashMap<>();
        for (TuningRecord r : TuningLog.read(spaceLog)) {
            if (!r.workload().equals(d.workload())) continue;
            table.put(t.space().of(r.config()), new MeasureResult(r.costs(), r.error(), r.buildSeconds()));
        }
        double best = 0;
        for (MeasureResult r : table.values()) best = Math.max(best, r.gflops(d.flops()));
        int valid = (int) table.values().stream().filter(MeasureResult::ok).count();
        Tuner.Measure replay = (tt, c) -> table.get(c);
        List<TuningRecord> others = TuningLog.read(history).stream().filter(r -> !r.workload().equals(d.workload())).toList();
        String[] names = {"random", "sa+xgb", "sa+xgb+transfer"};
        LineChart chart = new LineChart("Search efficiency on " + layer + " (mean of " + seeds + " seeds)").xLabel("trials").yLabel("best GFLOP/s");
        System.out.printf(Locale.ROOT, "%s: %d configurations (%d valid), best %.1f GFLOP/s; transfer from %d records of other workloads%n",
                layer, size, valid, best, others.size());
        System.out.println("| strategy | trials to the best (mean) | trials to 95% of it (mean) |");
        System.out.println("| --- | ---: | ---: |");
        for (String name : names) {
            double[] mean = new double[size];
            double toBest = 0, to95 = 0;
            for (int s = 0; s < seeds; s++) {
                XgbCostModel model = null;
                if (!name.equals("random")) {
                    XgbCostModel base = name.endsWith("transfer") ? Transfer.baseModel(others, d.workload(), 30, s) : null;
                    model = new XgbCostModel(XgbCostModel.Loss.RANK, 30, base != null && base.trained() ? base : null, s);
                }
                var explorer = name.equals("random") ? new RandomExplorer() : new SimulatedAnnealingExplorer();
                List<Double> curve = new Tuner(t, replay, null, explorer, model, 8, 1000 + s).tune(size, null).bestCurve();
                toBest += firstReaching(curve, best);
                to95 += firstReaching(curve, 0.95 * best);
                for (int i = 0; i < size; i++) mean[i] += curve.get(Math.min(i, curve.size() - 1)) / seeds;
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f |%n", name, toBest / seeds, to95 / seeds);
            double[] x = new double[size];
            for (int i = 0; i < size; i++) x[i] = i + 1;
            chart.add(name, x, mean);
        }
        if (png.getParent() != null) Files.createDirectories(png.getParent());
        chart.writePng(png);
    }

    private static int firstReaching(List<Double> curve, double target) {
        for (int i = 0; i < curve.size(); i++) if (curve.get(i) >= target - 1e-9) return i + 1;
        return curve.size();
    }

    private static List<float[]> inputs(ComputeDecl d) {
        Random r = new Random(0);
        List<float[]> in = new ArrayList<>();
        for (var p : d.inputs()) {
            float[] a = new float[p.size()];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            in.add(a);
        }
        return in;
    }
}
