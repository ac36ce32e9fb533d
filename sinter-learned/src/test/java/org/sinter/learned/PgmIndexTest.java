package org.sinter.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.learned.data.KeySets;
import org.sinter.learned.index.StaticBPlusTree;
import org.sinter.learned.index.pgm.PgmIndex;

class PgmIndexTest {
    @Test
    void everyLevelKeepsItsEpsilon() {
        for (String name : KeySets.SYNTHETIC) {
            long[] keys = KeySets.load(name, 200_000, 1);
            for (int eps : new int[] {4, 32, 128}) {
                PgmIndex pgm = new PgmIndex(keys, eps, 4);
                int[] errors = pgm.measuredErrors();
                // Rounding the prediction to a position may add one.
                assertTrue(errors[0] <= eps + 1, name + " eps=" + eps + ": bottom error " + errors[0]);
                for (int l = 1; l < errors.length; l++) assertTrue(errors[l] <= 5, name + " eps=" + eps + ": level " + l + " error " + errors[l]);
            }
        }
    }

    @Test
    void aLineIsOneSegmentAndACliffTwo() {
        long[] line = new long[100_000];
        for (int i = 0; i < line.length; i++) line[i] = 1000 + 7L * i;
        PgmIndex pgm = new PgmIndex(line, 1);
        assertEquals(1, pgm.segments());
        assertEquals(1, pgm.height());
        long[] cliff = new long[1000];
        for (int i = 0; i < cliff.length; i++) cliff[i] = i < 500 ? i : 1_000_000_000L + 3L * i;
        assertEquals(2, new PgmIndex(cliff, 1).segments());
    }

    @Test
    void segmentsShrinkAsEpsilonGrowsAndStaySmallBesideTheBTree() {
        long[] keys = KeySets.load("lognormal", 1_000_000, 2);
        int s8 = new PgmIndex(keys, 8).segments(), s64 = new PgmIndex(keys, 64).segments(), s512 = new PgmIndex(keys, 512).segments();
        assertTrue(s8 > s64 && s64 > s512, s8 + " " + s64 + " " + s512);
        // Each segment covers at least 2*eps+1 distinct keys' worth of slack, so far fewer segments than B+-tree pages.
        assertTrue(new PgmIndex(keys, 64).indexBytes() * 20 < new StaticBPlusTree(keys).indexBytes());
    }

    @Test
    void badEpsilonIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PgmIndex(new long[] {1}, 0));
        assertTrue(e.getMessage().contains("PgmIndex"), e.getMessage());
    }
}
