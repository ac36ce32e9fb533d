package org.sinter.learned.tuning;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.sinter.learned.bench.MixBenchmark;
import org.sinter.learned.bench.Sizes;
import org.sinter.learned.data.KeySets;
import org.sinter.learned.index.update.BPlusTree;

/**
 * Tunes the updatable learned index's knobs with TPE for throughput on the 50/50 insert/lookup mix
 * (operations per second of the thread's CPU time, the figure a shared machine disturbs least),
 * then re-measures defaults and winner side by side (with the B+-tree beside them for scale):
 * {@code MixTuning KEYS N OPS TRIALS ROUNDS [JOURNAL]}.
 */
public final class MixTuning {
    private MixTuning() {}

    public static void main(String[] args) throws Exception {
        String spec = args.length > 0 ? args[0] : "lognormal";
        int n = args.length > 1 ? (int) Sizes.parse(args[1]) : 5_000_000;
        int ops = args.length > 2 ? (int) Sizes.parse(args[2]) : 2_000_000;
        int trials = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        run(spec, n, ops, trials, rounds, args.length > 5 ? Path.of(args[5]) : null, System.out);
    }

    /** Tunes, re-measures and prints; {@code journal} null means a fresh search in a temporary journal. */
    public static TuningResult run(String spec, int n, int ops, int trials, int rounds, Path journal, PrintStream out)
            throws IOException, InterruptedException {
        if (journal == null) {
            journal = Files.createTempFile("mix-tuning", ".jsonl");
            Files.delete(journal); // a fresh search, not a resume
        }
        long[] initial = KeySets.load(spec, n, 42);
        long[] inserts = MixBenchmark.shuffled(KeySets.load(spec, ops / 2, 43), 44);
        MixBenchmark mix = new MixBenchmark(initial, inserts, 45);
        out.printf(Locale.ROOT, "tuning the delta-buffer learned index on the mix: %s, %d keys, %d operations, %d TPE trials, journal %s%n", spec, n, ops, trials, journal);
        KnobTuner tuner = new KnobTuner(UpdatableIndexKnobs.space(), knobs -> mix.run(List.of(UpdatableIndexKnobs.builder(knobs)), null).get(0).cpuOpsPerSecond());
        TuningResult r = tuner.tune(UpdatableIndexKnobs.defaults(), trials, rounds, 1, journal, out::println);
        double[] btree = new double[rounds];
        for (int i = 0; i < rounds; i++) btree[i] = mix.run(List.of(BPlusTree::of), null).get(0).cpuOpsPerSecond();
        Arrays.sort(btree);
        double btreeMedian = btree[rounds / 2];
        out.printf(Locale.ROOT, "defaults %s: median %.0f CPU ops/s over %d re-measurements %s%n", r.defaults(), r.defaultMedian(), rounds, Arrays.toString(r.defaultScores()));
        out.printf(Locale.ROOT, "best     %s: median %.0f CPU ops/s %s%n", r.best(), r.bestMedian(), Arrays.toString(r.bestScores()));
        out.printf(Locale.ROOT, "gain of the tuned setting over the defaults: %+.1f%%; B+-tree on the same stream: median %.0f CPU ops/s (tuned / B+-tree = %.2f, defaults / B+-tree = %.2f)%n",
                100 * r.gain(), btreeMedian, r.bestMedian() / btreeMedian, r.defaultMedian() / btreeMedian);
        return r;
    }
}
