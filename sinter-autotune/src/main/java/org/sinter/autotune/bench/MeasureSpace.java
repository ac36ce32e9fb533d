package org.sinter.autotune.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.sinter.Sinter;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.measure.Measurer;
import org.sinter.autotune.search.RandomExplorer;
import org.sinter.autotune.search.Tuner;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Workloads;

/**
 * Measures a workload's configuration space for the search-efficiency replay: configurations in
 * uniformly random order (without repeats) until the log holds {@code TOTAL} trials of it, so that
 * a run stopped early has measured a uniform random sample of the space, and one run to the
 * space's size has measured all of it. Resumable: trials already in the log count and are not
 * measured again (bench/autotune_search.sh calls it in chunks, each under the bench lock).
 * Measurement is the quick protocol ({@link Measurer.Options#quick()}) with 5 repeats: the replay
 * needs the ranking of configurations, and a trial's cost is mostly the kernel's JIT, not its timing.
 *
 *   MeasureSpace WORKLOAD LOG TOTAL THREADS SEED
 */
public final class MeasureSpace {
    private MeasureSpace() {}

    /** The quick protocol with 5 repeats (the replay reads the fastest: on a shared box, contention only ever adds time). */
    static final Measurer.Options OPTIONS = new Measurer.Options(60, 30, 2, 0.1, 5, 0.002, 1e-4);

    public static void main(String[] args) {
        if (args.length != 5) throw new IllegalArgumentException("usage: MeasureSpace WORKLOAD LOG TOTAL THREADS SEED");
        ComputeDecl d = Workloads.parse(args[0]);
        Path logFile = Path.of(args[1]);
        int total = Integer.parseInt(args[2]);
        Sinter.setNumThreads(Integer.parseInt(args[3]));
        long seed = Long.parseLong(args[4]);
        Template t = Templates.of(d);
        long t0 = System.nanoTime();
        Tuner.Result r;
        try (Measurer m = new Measurer(d, ConvTuneBench.inputs(d), OPTIONS)) {
            r = new Tuner(t, Tuner.of(m), new TuningLog(logFile), new RandomExplorer(), null, 8, seed)
                    .tune((int) Math.min(total, t.space().size()), (done, all, best, eta) -> {
                        if (done % 8 == 0) System.err.printf(Locale.ROOT, "%s %d/%d best %.1f GFLOP/s (%.1f s so far)%n", d.workload(), done, all, best,
                                (System.nanoTime() - t0) / 1e9);
                    });
        }
        System.out.printf(Locale.ROOT, "%s: %d of %d configurations measured (%d errors), best %.1f GFLOP/s; this run %.0f s%n", d.workload(), r.trials(),
                t.space().size(), r.errors(), r.bestGflops(), r.wallSeconds());
    }
}
