package org.sinter.autotune.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.sinter.Sinter;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.lower.Kernel;
import org.sinter.autotune.measure.BuiltinBaseline;
import org.sinter.autotune.measure.Measurer;
import org.sinter.autotune.search.SimulatedAnnealingExplorer;
import org.sinter.autotune.search.Tuner;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Operators;
import org.sinter.autotune.te.Operators.ConvParams;

/**
 * Tunes ResNet-18's convolutions (model-guided: simulated annealing over the XGBoost rank model,
 * with transfer from the layers already in the log, resumable from it) with every template that fits
 * it (the direct one; Winograd's for 3x3 stride 1, each with the trial budget), and times the best
 * tuned kernels beside Sinter's built-in convolution as a compiled model runs it (the kernel
 * {@code ConvStep} chooses: packed direct, Winograd, ...; the filter prepared once) in the same process
 * ({@link BuiltinBaseline#sideBySide}: the finalists each in turn with the built-in; the best pair is logged and reported). Prints one JSON line per layer; bench/autotune_resnet.sh
 * puts PyTorch beside it.
 *
 *   ConvTuneBench LOG TRIALS THREADS [C1,C2,…]
 */
public final class ConvTuneBench {
    private ConvTuneBench() {}

    public static void main(String[] args) {
        Path logFile = Path.of(args[0]);
        int trials = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        List<String> only = args.length > 3 ? Arrays.asList(args[3].split(",")) : null;
        Sinter.setNumThreads(threads);
        TuningLog log = new TuningLog(logFile);
        for (Map.Entry<String, ConvParams> e : ResNet18Convs.all().entrySet()) {
            if (only != null && !only.contains(e.getKey())) continue;
            ConvParams p = e.getValue();
            ComputeDecl d = Operators.conv2d(p);
            List<float[]> in = inputs(d);
            int trialsDone = 0, errors = 0;
            StringBuilder perTemplate = new StringBuilder();
            long t0 = System.nanoTime();
            try (Measurer m = new Measurer(d, in, Measurer.Options.defaults())) {
                // The built-in first (logged, as `sinter tune` does): besides the baseline, its calls get the shared
                // Winograd transforms JIT-compiled before a template's first candidate (the built-in's own point, the
                // Winograd template's seed) is timed; C2's seed measured 5.9 GFLOP/s while C2 compiled them, 213 later.
                BuiltinBaseline.measureAndLog(log, d, p, m, in);
                // Each template that fits (the direct one; Winograd's for 3x3 stride 1) gets the trial budget.
                for (Template t : Templates.all(d)) {
                    warmSeeds(t, in);
                    // Transfer: the layers tuned before this one (in this log) give the model its base.
                    var model = org.sinter.autotune.model.Transfer.model(log.read(), d.workload(), 1);
                    Tuner.Result r = new Tuner(t, Tuner.of(m), log, new SimulatedAnnealingExplorer(), model, 8, 1)
                            .tune(trials, (done, total, best, eta) -> System.err.printf(Locale.ROOT, "\r%s %s %d/%d best %.1f GFLOP/s eta %.0fs   ",
                                    e.getKey(), t.name(), done, total, best, eta));
                    System.err.println();
                    trialsDone += r.trials();
                    errors += r.errors();
                    perTemplate.append(perTemplate.isEmpty() ? "" : ", ").append(t.name()).append(' ').append(r.trials())
                            .append(String.format(Locale.ROOT, " (best %.1f)", r.bestGflops()));
                }
            }
            double tuneWall = (System.nanoTime() - t0) / 1e9;
            // The finalists (the fastest trials and the templates' seeds) each beside the built-in as a compiled model runs it (the
            // kernel ConvStep picks, filter prepared once), in turn in this JVM; the pair of the best one is logged and reported.
            TuningLog.SideBySide pair = BuiltinBaseline.sideBySide(log, d, p, log.read(), in)
                    .orElseThrow(() -> new IllegalStateException("no successful trial for " + e.getKey()));
            TuningRecord best = pair.tuned();
            double tuned = TuningLog.median(best) * 1e3, builtin = TuningLog.median(pair.builtin()) * 1e3;
            double gflops = d.flops() / (tuned * 1e6), builtinGflops = d.flops() / (builtin * 1e6);
            System.out.printf(Locale.ROOT, "{\"layer\": \"%s\", \"workload\": \"%s\", \"tuned_ms\": %.4f, \"tuned_gflops\": %.2f, \"builtin_ms\": %.4f, "
                            + "\"builtin_gflops\": %.2f, \"trials\": %d, \"errors\": %d, \"tune_wall_s\": %.1f, \"template\": \"%s\", \"config\": \"%s\", "
                            + "\"per_template\": \"%s\"}%n",
                    e.getKey(), d.workload(), tuned, gflops, builtin, builtinGflops, trialsDone, errors, tuneWall, best.template(), best.config(), perTemplate);
        }
    }

    /**
     * Runs each of {@code t}'s seeds for a second before tuning: a seed is the template's first trial,
     * and its kernel's shared code (the Winograd template's stages, the per-thread chunk path) would
     * otherwise be timed while the JIT still compiles it, too slowly for the measurer's warm-up to see
     * (C2's seed, the built-in's own point, read 3.4 and 5.9 GFLOP/s in two runs, against 258 for the
     * built-in timed after a second's warm-up).
     */
    static void warmSeeds(Template t, List<float[]> in) {
        for (Config c : t.seeds()) {
            Kernel k = t.build(c, t.apply(c));
            k.prepareConstants(in);
            float[] out = new float[t.decl().outSize()];
            int[] offs = new int[in.size()];
            for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; ) k.run(in, offs, out, 0);
        }
    }

    /** Gaussian inputs (seed 0) for every placeholder of {@code d}. */
    public static List<float[]> inputs(ComputeDecl d) {
        Random rnd = new Random(0);
        List<float[]> in = new ArrayList<>();
        for (var ph : d.inputs()) {
            float[] a = new float[ph.size()];
            for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
            in.add(a);
        }
        return in;
    }
}
