package org.sinter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.sinter.Sinter;
import org.sinter.autotune.bench.ResNet18Convs;
import org.sinter.autotune.apply.ApplyHistoryBest;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.measure.BuiltinBaseline;
import org.sinter.autotune.measure.Measurer;
import org.sinter.autotune.model.Transfer;
import org.sinter.autotune.model.XgbCostModel;
import org.sinter.autotune.search.EvolutionaryExplorer;
import org.sinter.autotune.search.Explorer;
import org.sinter.autotune.search.GridExplorer;
import org.sinter.autotune.search.RandomExplorer;
import org.sinter.autotune.search.SimulatedAnnealingExplorer;
import org.sinter.autotune.search.TaskScheduler;
import org.sinter.autotune.search.Tuner;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Operators;
import org.sinter.cli.plot.LineChart;
import org.sinter.cli.progress.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter tune}: auto-tunes a model's convolutions with sinter-autotune. The task scheduler
 * spreads the trial budget over the workloads; each trial is logged (resumable: rerun with the
 * same log to go on); with several explorers each gets its own log and budget. Prints the best
 * of each workload and writes a PNG of best GFLOP/s against trials per explorer and workload.
 */
@Command(name = "tune", mixinStandardHelpOptions = true, description = "Auto-tune a model's convolution kernels (AutoTVM-style).")
final class TuneCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "resnet18", description = "the model whose convolutions to tune: resnet18 (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--trials", defaultValue = "384", description = "trials in all, per explorer, spread over the workloads (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--explorer", split = ",", defaultValue = "sa", description = "sa, evolutionary, random or grid; several compare (default: ${DEFAULT-VALUE})")
    List<String> explorers;

    @Option(names = "--log", defaultValue = "tune-resnet18.jsonl", description = "the tuning log (JSON lines; resumed if it exists). With several explorers, one per explorer: NAME.EXPLORER.jsonl (default: ${DEFAULT-VALUE})")
    Path log;

    @Option(names = "--layers", split = ",", description = "only these workloads (C1..C12 for resnet18)")
    List<String> layers;

    @Option(names = "--threads", description = "intra-op threads (default: all cores)")
    Integer threads;

    @Option(names = "--batch", defaultValue = "8", description = "trials the explorer proposes at a time (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--no-transfer", description = "do not use other workloads' records in the log as the cost model's base")
    boolean noTransfer;

    @Option(names = "--plot", description = "the PNG of best GFLOP/s vs trials (default: the log's name with .png)")
    Path plot;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the explorers and inputs (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws IOException {
        if (!model.equalsIgnoreCase("resnet18")) throw new UsageException("tune: --model resnet18 is the one model with tuning tasks here, got " + model);
        if (trials < 1) throw new UsageException("tune: --trials must be >= 1, got " + trials);
        if (batch < 1) throw new UsageException("tune: --batch must be >= 1, got " + batch);
        for (String e : explorers) explorer(e);
        Map<String, Operators.ConvParams> all = ResNet18Convs.all();
        if (layers != null) for (String l : layers) if (!all.containsKey(l)) throw new UsageException("tune: no layer " + l + " in resnet18 (C1..C12)");
        if (threads != null) Sinter.setNumThreads(threads);
        LineChart chart = new LineChart("Best GFLOP/s vs trials (" + model + ")").xLabel("trials").yLabel("best GFLOP/s");
        for (String name : explorers) {
            Path file = explorers.size() == 1 ? log : withSuffix(log, name);
            TuningLog tlog = new TuningLog(file);
            List<TaskScheduler.Task> tasks = new ArrayList<>();
            List<Measurer> measurers = new ArrayList<>();
            Map<String, Tuner> tuners = new LinkedHashMap<>();
            Map<String, List<float[]>> inputsOf = new LinkedHashMap<>();
            for (var e : all.entrySet()) {
                if (layers != null && !layers.contains(e.getKey())) continue;
                ComputeDecl d = Operators.conv2d(e.getValue());
                Template t = Templates.of(d);
                List<float[]> in = inputs(d, seed);
                inputsOf.put(e.getKey(), in);
                Measurer m = new Measurer(d, in, Measurer.Options.defaults());
                measurers.add(m);
                // What the compiler runs without tuning, timed the same way: applied only where beaten.
                BuiltinBaseline.measureAndLog(tlog, d, e.getValue(), m, in);
                var costModel = noTransfer ? new XgbCostModel(XgbCostModel.Loss.RANK, 30, null, seed) : Transfer.model(tlog.read(), d.workload(), seed);
                Tuner tuner = new Tuner(t, Tuner.of(m), tlog, explorer(name), costModel, batch, seed);
                tuners.put(e.getKey(), tuner);
                tasks.add(new TaskScheduler.Task(e.getKey(), tuner, ResNet18Convs.occurrences(e.getKey()), d.flops()));
            }
            System.out.println("tune " + model + " with " + name + ": " + trials + " trials over " + tasks.size() + " workloads, log " + file);
            ProgressBar[] bar = {null};
            String[] current = {null};
            try {
                new TaskScheduler(tasks, batch).run(trials, (task, taskTrials, best, done, budget) -> {
                    if (!task.name().equals(current[0])) {
                        if (bar[0] != null) bar[0].close();
                        bar[0] = ProgressBar.builder(budget).label(name + " " + task.name()).unit("trials").out(System.err).build();
                        current[0] = task.name();
                    }
                    bar[0].metric("best GFLOP/s", best);
                    bar[0].update(done);
                });
            } finally {
                if (bar[0] != null) bar[0].close();
                measurers.forEach(Measurer::close);
            }
            // The choice between tuned and built-in rests on one protocol: the finalists each timed in turn with the built-in, now.
            System.err.println("timing the finalists of each workload beside the built-in ...");
            Map<String, TuningLog.SideBySide> pairs = new LinkedHashMap<>();
            for (String layer : tuners.keySet()) {
                ComputeDecl d = Operators.conv2d(all.get(layer));
                BuiltinBaseline.sideBySide(tlog, d, all.get(layer), tlog.read(), inputsOf.get(layer)).ifPresent(pr -> pairs.put(layer, pr));
            }
            System.out.println("| workload | best GFLOP/s | median ms | built-in GFLOP/s | side by side: tuned / built-in GFLOP/s | applied | trials | configuration |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |");
            ApplyHistoryBest apply = ApplyHistoryBest.load(file);
            Map<String, TuningRecord> baselines = TuningLog.builtin(tlog.read());
            for (var e : tuners.entrySet()) {
                Tuner t = e.getValue();
                Tuner.Result r = t.tune(t.trials(), null);
                ComputeDecl d = t.state().template().decl();
                TuningRecord base = baselines.get(d.workload());
                TuningLog.SideBySide pair = pairs.get(e.getKey());
                TuningRecord applied = apply.applied(d.workload());
                System.out.printf(Locale.ROOT, "| %s | %.1f | %s | %s | %s | %s | %d | %s |%n", e.getKey(), r.bestGflops(),
                        r.bestGflops() > 0 ? String.format(Locale.ROOT, "%.3f", d.flops() / r.bestGflops() / 1e6) : "n/a",
                        base == null ? "n/a" : String.format(Locale.ROOT, "%.1f", base.gflops()),
                        pair == null ? "n/a" : String.format(Locale.ROOT, "%.1f / %.1f", pair.tuned().gflops(), pair.builtin().gflops()),
                        applied != null ? "tuned" : "built-in", r.trials(), applied != null ? applied.config() : r.best());
                double[] x = new double[r.bestCurve().size()], y = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = i + 1;
                    y[i] = r.bestCurve().get(i);
                }
                if (x.length > 0) chart.add(name + " " + e.getKey(), x, y);
            }
        }
        Path png = plot != null ? plot : withExtension(log, ".png");
        if (png.getParent() != null) Files.createDirectories(png.getParent());
        chart.writePng(png);
        System.out.println("plot: " + png);
        return 0;
    }

    private static Explorer explorer(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "sa" -> new SimulatedAnnealingExplorer();
            case "evolutionary" -> new EvolutionaryExplorer();
            case "random" -> new RandomExplorer();
            case "grid" -> new GridExplorer();
            default -> throw new UsageException("tune: unknown explorer " + name + " (sa, evolutionary, random, grid)");
        };
    }

    private static List<float[]> inputs(ComputeDecl d, long seed) {
        Random r = new Random(seed);
        List<float[]> in = new ArrayList<>();
        for (var p : d.inputs()) {
            float[] a = new float[p.size()];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            in.add(a);
        }
        return in;
    }

    private static Path withSuffix(Path log, String explorer) {
        String n = log.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String stem = dot > 0 ? n.substring(0, dot) : n, ext = dot > 0 ? n.substring(dot) : ".jsonl";
        return log.resolveSibling(stem + "." + explorer + ext);
    }

    private static Path withExtension(Path log, String ext) {
        String n = log.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return log.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ext);
    }
}
