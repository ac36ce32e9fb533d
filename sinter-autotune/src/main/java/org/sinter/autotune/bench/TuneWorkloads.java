package org.sinter.autotune.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.sinter.Sinter;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.measure.Measurer;
import org.sinter.autotune.model.Transfer;
import org.sinter.autotune.search.SimulatedAnnealingExplorer;
import org.sinter.autotune.search.Tuner;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.Workloads;

/**
 * Tunes a few workloads with a small budget each (simulated annealing over the XGBoost rank
 * model, transfer from the workloads already in the log; resumable), with the same measurement
 * protocol as {@link MeasureSpace}: the history a transfer experiment learns from.
 *
 *   TuneWorkloads LOG TRIALS THREADS WORKLOAD...
 */
public final class TuneWorkloads {
    private TuneWorkloads() {}

    public static void main(String[] args) {
        if (args.length < 4) throw new IllegalArgumentException("usage: TuneWorkloads LOG TRIALS THREADS WORKLOAD...");
        TuningLog log = new TuningLog(Path.of(args[0]));
        int trials = Integer.parseInt(args[1]);
        Sinter.setNumThreads(Integer.parseInt(args[2]));
        for (int i = 3; i < args.length; i++) {
            ComputeDecl d = Workloads.parse(args[i]);
            Template t = Templates.of(d);
            try (Measurer m = new Measurer(d, ConvTuneBench.inputs(d), MeasureSpace.OPTIONS)) {
                var model = Transfer.model(log.read(), d.workload(), 1);
                Tuner.Result r = new Tuner(t, Tuner.of(m), log, new SimulatedAnnealingExplorer(), model, 8, 1).tune(trials, null);
                System.out.printf(Locale.ROOT, "%s: %d trials (%d errors), best %.1f GFLOP/s, %.0f s%n", d.workload(), r.trials(), r.errors(), r.bestGflops(),
                        r.wallSeconds());
            }
        }
    }
}
