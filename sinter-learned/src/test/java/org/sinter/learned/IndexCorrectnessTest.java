package org.sinter.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sinter.learned.data.KeySets;
import org.sinter.learned.index.BinarySearchIndex;
import org.sinter.learned.index.SortedLongIndex;
import org.sinter.learned.index.StaticBPlusTree;
import org.sinter.learned.index.TreeMapIndex;
import org.sinter.learned.index.pgm.PgmIndex;
import org.sinter.learned.index.rmi.RecursiveModelIndex;
import org.sinter.learned.index.rmi.RmiConfig;
import org.sinter.learned.index.rmi.RmiConfig.LastMile;
import org.sinter.learned.index.rmi.RmiConfig.RootType;

/** Every index answers every query exactly as a textbook lower bound does, on every key set and edge case. */
class IndexCorrectnessTest {
    /** The reference, deliberately the plainest loop possible (not the Search routines under test). */
    static int referenceLowerBound(long[] keys, long q) {
        int lo = 0, hi = keys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < q) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    static List<Function<long[], SortedLongIndex>> builders() {
        return List.of(BinarySearchIndex::new, StaticBPlusTree::new, k -> new StaticBPlusTree(k, 5), TreeMapIndex::new,
                k -> new RecursiveModelIndex(k, RmiConfig.of(RootType.LINEAR, 64)),
                k -> new RecursiveModelIndex(k, RmiConfig.of(RootType.LINEAR, 1024).withLastMile(LastMile.EXPONENTIAL)),
                k -> new RecursiveModelIndex(k, RmiConfig.of(RootType.CUBIC, 512)),
                k -> new RecursiveModelIndex(k, new RmiConfig(RootType.NEURAL, 256, LastMile.BINARY, 8, 60)),
                k -> new PgmIndex(k, 16), k -> new PgmIndex(k, 2, 2), k -> new PgmIndex(k, 32, 4, true));
    }

    static Stream<Arguments> keySets() {
        List<Arguments> sets = new ArrayList<>();
        for (String name : KeySets.SYNTHETIC) sets.add(Arguments.of(name, KeySets.load(name, 30_000, 7)));
        sets.add(Arguments.of("words", KeySets.load("words", 20_000, 0))); // the bundled text: Zipfian duplicates
        for (String real : List.of("arrivals", "runtimes")) {
            // The shared traces, when this checkout sits beside them (a fresh clone has none).
            Path traces = Files.isDirectory(KeySets.SHARED_TRACES) ? KeySets.SHARED_TRACES : Path.of("..").resolve(KeySets.SHARED_TRACES);
            Path file = real.equals("arrivals") ? traces.resolve("gavel-msr-seed0") : traces.resolve("philly_runtime.csv");
            if (Files.exists(file)) sets.add(Arguments.of(real, KeySets.load(real + ":" + file, 20_000, 0)));
        }
        sets.add(Arguments.of("extremes", new long[] {Long.MIN_VALUE, Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE, Long.MAX_VALUE}));
        sets.add(Arguments.of("empty", new long[0]));
        sets.add(Arguments.of("single", new long[] {42}));
        sets.add(Arguments.of("all equal", new long[1000]));
        long[] steps = new long[5000];
        for (int i = 0; i < steps.length; i++) steps[i] = i < 2500 ? i : 1L << 60 | i; // a cliff no single line fits
        sets.add(Arguments.of("cliff", steps));
        return sets.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keySets")
    void everyIndexAgreesWithTheReference(String name, long[] keys) {
        SplittableRandom r = new SplittableRandom(11);
        long[] queries = queries(keys, r);
        for (Function<long[], SortedLongIndex> b : builders()) {
            SortedLongIndex index = b.apply(keys);
            for (long q : queries) {
                int want = referenceLowerBound(keys, q);
                assertEquals(want, index.lowerBound(q), () -> index.name() + " on " + name + ": lowerBound(" + q + ")");
                boolean present = want < keys.length && keys[want] == q;
                assertEquals(present, index.contains(q), () -> index.name() + " on " + name + ": contains(" + q + ")");
            }
            assertEquals(keys.length, index.size());
        }
    }

    /** Every key, its neighbours, the extremes and random values in and around the range. */
    private static long[] queries(long[] keys, SplittableRandom r) {
        List<Long> q = new ArrayList<>(List.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L, Long.MAX_VALUE - 1, Long.MAX_VALUE));
        for (long k : keys) { q.add(k); q.add(k - 1); q.add(k + 1); }
        for (int i = 0; i < 2000; i++) q.add(r.nextLong());
        if (keys.length > 0) {
            long lo = keys[0], hi = keys[keys.length - 1];
            for (int i = 0; i < 2000; i++) q.add(lo + (long) (r.nextDouble() * ((double) hi - (double) lo)));
        }
        return q.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void rangeQueriesMatchAFilter() {
        long[] keys = KeySets.load("lognormal", 20_000, 3);
        SplittableRandom r = new SplittableRandom(5);
        for (Function<long[], SortedLongIndex> b : builders()) {
            SortedLongIndex index = b.apply(keys);
            for (int t = 0; t < 200; t++) {
                long a = keys[r.nextInt(keys.length)], c = keys[r.nextInt(keys.length)] + r.nextInt(3) - 1;
                long lo = Math.min(a, c), hi = Math.max(a, c);
                long[] want = Arrays.stream(keys).filter(k -> k >= lo && k < hi).toArray();
                List<Long> got = new ArrayList<>();
                index.forEachInRange(lo, hi, got::add);
                assertEquals(want.length, index.rangeCount(lo, hi), index.name());
                assertEquals(Arrays.stream(want).boxed().toList(), got, index.name());
            }
            assertEquals(0, index.rangeCount(5, 5));
            assertEquals(0, index.rangeCount(9, 1));
        }
    }

    @Test
    void unsortedKeysAreRefusedWithThePosition() {
        long[] bad = {1, 2, 5, 4};
        for (Function<long[], SortedLongIndex> b : builders()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.apply(bad));
            assertTrue(e.getMessage().contains("keys[2] = 5 > keys[3] = 4"), e.getMessage());
        }
    }
}
