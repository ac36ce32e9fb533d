package org.sinter.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sinter.cli.plot.LineChart;
import org.sinter.learned.bench.LookupBenchmark;
import org.sinter.learned.bench.LookupResult;
import org.sinter.learned.bench.LookupTable;
import org.sinter.learned.bench.MixBench;
import org.sinter.learned.bench.MixBenchmark;
import org.sinter.learned.bench.Sizes;
import org.sinter.learned.bench.Structures;
import org.sinter.learned.data.KeySets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter bench index}: builds binary search, the B+-tree, TreeMap and the learned indexes over
 * one key set, times the same lookups on each and prints build time, index size, lookup latency
 * (mean, median, p99) and throughput; {@code --mix} adds the 50/50 insert/lookup workload against
 * the updatable B+-tree; {@code --out} writes the tables as CSV and the latency distribution as PNG.
 */
@Command(name = "index", mixinStandardHelpOptions = true, description = "Compare learned indexes with binary search, a B+-tree and TreeMap on one key set.")
final class IndexBenchCommand implements Callable<Integer> {
    @Option(names = "--keys", defaultValue = "lognormal", description = "key set: dense, sparse, normal, lognormal, duplicates, arrivals[:DIR], runtimes[:FILE], words[:PATH] (default: ${DEFAULT-VALUE})")
    String keys;

    @Option(names = "--n", defaultValue = "10M", description = "number of keys, e.g. 100M (real key sets are capped at their size) (default: ${DEFAULT-VALUE})")
    String n;

    @Option(names = "--lookups", defaultValue = "2M", description = "lookups per round (default: ${DEFAULT-VALUE})")
    String lookups;

    @Option(names = "--repeats", defaultValue = "3", description = "timed rounds per structure; the median is reported (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--structures", description = "comma-separated: binary, btree[:FANOUT], treemap, rmi:linear|cubic|nn:LEAVES[:exp], pgm:EPS (default: " + Structures.DEFAULT + ", without treemap above 20M keys)")
    String structures;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the synthetic keys and the lookups (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--mix", description = "also run the 50/50 insert/lookup mix (updatable B+-tree against the delta-buffer learned indexes)")
    boolean mix;

    @Option(names = "--mix-ops", defaultValue = "4M", description = "operations of the mix, half inserts (default: ${DEFAULT-VALUE})")
    String mixOps;

    @Option(names = "--merge-fraction", defaultValue = "0.03125", description = "delta buffer size, as a fraction of the main array, that triggers a merge and retrain (default: ${DEFAULT-VALUE})")
    double mergeFraction;

    @Option(names = "--out", description = "directory for lookups.csv, latency.png and mix.csv")
    Path out;

    @Override
    public Integer call() throws IOException {
        int count, lookupCount, ops;
        List<Structures.Spec> specs;
        try {
            long c = Sizes.parse(n), l = Sizes.parse(lookups), o = Sizes.parse(mixOps);
            if (c < 1 || c > Integer.MAX_VALUE - 8) throw new UsageException("--n must be between 1 and " + (Integer.MAX_VALUE - 8) + ", got " + n);
            if (l < 1 || l > Integer.MAX_VALUE - 8) throw new UsageException("--lookups must be between 1 and " + (Integer.MAX_VALUE - 8) + ", got " + lookups);
            if (o < 2 || o > Integer.MAX_VALUE - 8) throw new UsageException("--mix-ops must be between 2 and " + (Integer.MAX_VALUE - 8) + ", got " + mixOps);
            count = (int) c; lookupCount = (int) l; ops = (int) o;
            specs = Structures.parse(structures != null ? structures : Structures.defaultFor(count));
        } catch (UsageException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (repeats < 1) throw new UsageException("--repeats must be >= 1, got " + repeats);
        if (!(mergeFraction > 0 && mergeFraction <= 1)) throw new UsageException("--merge-fraction must be in (0, 1], got " + mergeFraction);

        long t0 = System.nanoTime();
        long[] sorted;
        try {
            sorted = KeySets.load(keys, count, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        System.out.printf(Locale.ROOT, "keys: %s, %d keys in %.1f s; %d lookups of present keys x %d rounds; nanoTime costs %.0f ns (inside p50/p99)%n",
                keys, sorted.length, (System.nanoTime() - t0) / 1e9, lookupCount, repeats, LookupBenchmark.timerNanos());
        List<LookupResult> rows = new LookupBenchmark(sorted, lookupCount, 200_000, repeats, seed + 1)
                .run(specs, msg -> System.out.println("  " + msg));
        System.out.print(LookupTable.format(rows));
        List<MixBenchmark.Result> mixRows = null;
        if (mix) {
            long[] inserts = MixBenchmark.shuffled(KeySets.load(keys, ops / 2, seed + 2), seed + 3);
            System.out.printf(Locale.ROOT, "mix: %d operations (half inserts of fresh %s keys, half lookups of present keys), merge at %.4f of the main array%n", 2L * inserts.length, keys, mergeFraction);
            mixRows = new MixBenchmark(sorted, inserts, seed + 4).run(MixBench.structures(mergeFraction), r -> System.out.println("  done: " + r.name()));
            System.out.print(MixBenchmark.format(mixRows));
        }
        if (out != null) {
            Files.createDirectories(out);
            writeAtomically(out.resolve("lookups.csv"), LookupTable.csv(rows));
            LineChart chart = new LineChart("Lookup latency, " + keys + ", " + sorted.length + " keys").xLabel("percentile").yLabel("log10 ns per lookup (nanoTime included)");
            // Log scale: the p99.9 tail is 10-50x the median and would flatten every curve below it.
            for (LookupResult r : rows) chart.add(r.name(), LookupResult.QUANTILES, java.util.Arrays.stream(r.latencyNanos()).map(Math::log10).toArray());
            chart.writePng(out.resolve("latency.png"));
            if (mixRows != null) writeAtomically(out.resolve("mix.csv"), mixCsv(mixRows));
            System.out.println("wrote " + out.resolve("lookups.csv") + ", " + out.resolve("latency.png") + (mixRows != null ? ", " + out.resolve("mix.csv") : ""));
        }
        return 0;
    }

    private static String mixCsv(List<MixBenchmark.Result> rows) {
        StringBuilder sb = new StringBuilder("structure,operations,seconds,ops_per_s,cpu_seconds,cpu_ops_per_s,bytes,notes\n");
        for (MixBenchmark.Result r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%.4f,%.0f,%.4f,%.0f,%d,%s%n", r.name(), r.operations(), r.seconds(), r.opsPerSecond(), r.cpuSeconds(), r.cpuOpsPerSecond(), r.bytes(), r.notes().replace(',', ';')));
        }
        return sb.toString();
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
