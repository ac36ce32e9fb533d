package org.sinter.learned.bench;

import java.util.List;
import java.util.function.Function;
import org.sinter.learned.data.KeySets;
import org.sinter.learned.index.pgm.PgmIndex;
import org.sinter.learned.index.rmi.RecursiveModelIndex;
import org.sinter.learned.index.rmi.RmiConfig;
import org.sinter.learned.index.update.BPlusTree;
import org.sinter.learned.index.update.DeltaLearnedIndex;
import org.sinter.learned.index.update.UpdatableLongIndex;

/** The 50/50 insert/lookup mix without the CLI: {@code MixBench KEYS N OPS [MERGE_FRACTION]}. */
public final class MixBench {
    private MixBench() {}

    /** The structures the mix compares: the B+-tree, and the delta-buffer learned index over a PGM-index and over an RMI. */
    public static List<Function<long[], UpdatableLongIndex>> structures(double mergeFraction) {
        return List.of(BPlusTree::of,
                k -> new DeltaLearnedIndex(k, a -> new PgmIndex(a, 64, 4, true), mergeFraction, 1 << 16),
                k -> new DeltaLearnedIndex(k, a -> new RecursiveModelIndex(a, RmiConfig.of(RmiConfig.RootType.CUBIC, 1 << 14)), mergeFraction, 1 << 16));
    }

    public static void main(String[] args) {
        String spec = args.length > 0 ? args[0] : "lognormal";
        int n = args.length > 1 ? (int) Sizes.parse(args[1]) : 10_000_000;
        int ops = args.length > 2 ? (int) Sizes.parse(args[2]) : 4_000_000;
        double fraction = args.length > 3 ? Double.parseDouble(args[3]) : 1.0 / 32;
        long[] initial = KeySets.load(spec, n, 42);
        long[] inserts = MixBenchmark.shuffled(KeySets.load(spec, ops / 2, 43), 44);
        System.out.printf("mix: %s, %d initial keys, %d operations (50%% inserts), merge at %.4f of the main array%n", spec, n, ops, fraction);
        List<MixBenchmark.Result> rows = new MixBenchmark(initial, inserts, 45).run(structures(fraction), r -> System.out.println("  done: " + r.name()));
        System.out.print(MixBenchmark.format(rows));
    }
}
