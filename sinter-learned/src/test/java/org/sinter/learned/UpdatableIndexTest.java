package org.sinter.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.learned.data.KeySets;
import org.sinter.learned.index.pgm.PgmIndex;
import org.sinter.learned.index.rmi.RecursiveModelIndex;
import org.sinter.learned.index.rmi.RmiConfig;
import org.sinter.learned.index.update.BPlusTree;
import org.sinter.learned.index.update.DeltaLearnedIndex;
import org.sinter.learned.index.update.UpdatableLongIndex;

/** The updatable structures against a TreeMap multiset, through bulk loads, splits, duplicates and merges. */
class UpdatableIndexTest {
    static List<Function<long[], UpdatableLongIndex>> builders() {
        return List.of(BPlusTree::of,
                k -> new DeltaLearnedIndex(k, a -> new PgmIndex(a, 8), 0.05, 100),
                k -> new DeltaLearnedIndex(k, a -> new RecursiveModelIndex(a, RmiConfig.of(RmiConfig.RootType.LINEAR, 32)), 0.2, 50));
    }

    @Test
    void insertsAndLookupsMatchAMultiset() {
        long[] initial = KeySets.load("lognormal", 20_000, 1);
        SplittableRandom r = new SplittableRandom(2);
        long[] inserts = new long[30_000];
        for (int i = 0; i < inserts.length; i++) {
            int kind = r.nextInt(4);
            inserts[i] = switch (kind) {
                case 0 -> initial[r.nextInt(initial.length)]; // duplicate of a bulk-loaded key
                case 1 -> r.nextLong();
                case 2 -> r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
                default -> r.nextLong(1_000_000); // a dense cluster of small keys
            };
        }
        for (Function<long[], UpdatableLongIndex> b : builders()) {
            UpdatableLongIndex index = b.apply(initial);
            TreeMap<Long, Integer> ref = new TreeMap<>();
            for (long k : initial) ref.merge(k, 1, Integer::sum);
            for (int i = 0; i < inserts.length; i++) {
                index.insert(inserts[i]);
                ref.merge(inserts[i], 1, Integer::sum);
                long probe = r.nextBoolean() ? inserts[r.nextInt(i + 1)] : r.nextLong();
                assertEquals(ref.containsKey(probe), index.contains(probe), index.name() + ": contains(" + probe + ") after " + (i + 1) + " inserts");
            }
            assertEquals(initial.length + inserts.length, index.size(), index.name());
            if (index instanceof BPlusTree t) {
                List<Long> got = new ArrayList<>();
                t.forEach(got::add);
                List<Long> want = new ArrayList<>();
                ref.forEach((k, c) -> { for (int j = 0; j < c; j++) want.add(k); });
                assertEquals(want, got, "in-order scan");
            }
            if (index instanceof DeltaLearnedIndex d) assertTrue(d.merges() > 0, index.name() + " never merged");
            assertTrue(index.bytes() > 8L * index.size() / 2, index.name() + " bytes");
        }
    }

    @Test
    void anEmptyTreeGrows() {
        BPlusTree t = new BPlusTree();
        SplittableRandom r = new SplittableRandom(3);
        long[] keys = new long[50_000];
        for (int i = 0; i < keys.length; i++) { keys[i] = r.nextLong(100_000); t.insert(keys[i]); }
        for (long k : keys) assertTrue(t.contains(k));
        assertEquals(keys.length, t.size());
        long[] last = {Long.MIN_VALUE};
        t.forEach(k -> { assertTrue(k >= last[0]); last[0] = k; });
    }

    @Test
    void badSettingsAreRefused() {
        long[] k = {1, 2, 3};
        assertThrows(IllegalArgumentException.class, () -> new DeltaLearnedIndex(k, a -> new PgmIndex(a, 8), 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new DeltaLearnedIndex(k, a -> new PgmIndex(a, 8), 0.1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BPlusTree.of(new long[] {3, 1}));
        assertTrue(e.getMessage().contains("BPlusTree"), e.getMessage());
    }
}
