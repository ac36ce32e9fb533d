package org.sinter.learned.bench;

import java.util.List;
import org.sinter.learned.data.KeySets;

/**
 * The lookup benchmark without the CLI: {@code IndexBench KEYS N [LOOKUPS] [STRUCTURES]}. The CLI's
 * {@code sinter bench index} runs the same code and adds the plot.
 */
public final class IndexBench {
    private IndexBench() {}

    public static void main(String[] args) {
        String keysSpec = args.length > 0 ? args[0] : "lognormal";
        int n = args.length > 1 ? (int) Sizes.parse(args[1]) : 10_000_000;
        int lookups = args.length > 2 ? (int) Sizes.parse(args[2]) : 2_000_000;
        String structures = args.length > 3 ? args[3] : Structures.defaultFor(n);
        long t0 = System.nanoTime();
        long[] keys = KeySets.load(keysSpec, n, 42);
        System.out.printf("keys: %s, %d keys, generated and sorted in %.1f s; timer cost %.0f ns%n", keysSpec, keys.length, (System.nanoTime() - t0) / 1e9, LookupBenchmark.timerNanos());
        List<LookupResult> rows = new LookupBenchmark(keys, lookups, 200_000, 3, 7).run(Structures.parse(structures), msg -> System.out.println("  " + msg));
        System.out.print(LookupTable.format(rows));
    }
}
