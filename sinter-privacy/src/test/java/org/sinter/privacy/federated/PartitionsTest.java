package org.sinter.privacy.federated;

import static org.junit.jupiter.api.Assertions.*;

import java.util.*;
import org.junit.jupiter.api.Test;

class PartitionsTest {
    static int[] labels(int n, int classes, long seed) {
        var r = new Random(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(classes);
        return y;
    }

    static void assertExactCover(List<int[]> parts, int n) {
        boolean[] seen = new boolean[n];
        int total = 0;
        for (int[] p : parts) for (int i : p) {
            assertFalse(seen[i], "example " + i + " given twice");
            seen[i] = true;
            total++;
        }
        assertEquals(n, total);
    }

    /** Mean over clients of the number of classes holding >= 5% of the client's examples. */
    static double dominantClasses(List<int[]> parts, int[] y, int classes) {
        double sum = 0;
        for (int[] p : parts) {
            int[] c = new int[classes];
            for (int i : p) c[y[i]]++;
            for (int k : c) if (k >= 0.05 * p.length) sum++;
        }
        return sum / parts.size();
    }

    @Test
    void iidIsAnEvenExactCover() {
        var parts = Partitions.iid(1003, 10, 1);
        assertExactCover(parts, 1003);
        for (int[] p : parts) assertTrue(p.length == 100 || p.length == 101);
        assertArrayEquals(parts.get(3), Partitions.iid(1003, 10, 1).get(3), "seeded");
    }

    @Test
    void dirichletCoversRespectsMinSizeAndSkewsWithSmallAlpha() {
        int[] y = labels(20000, 10, 2);
        var skewed = Partitions.dirichlet(y, 50, 0.1, 20, 3);
        var mild = Partitions.dirichlet(y, 50, 0.5, 20, 3);
        var flat = Partitions.dirichlet(y, 50, 1000, 20, 3);
        for (var parts : List.of(skewed, mild, flat)) {
            assertExactCover(parts, 20000);
            for (int[] p : parts) assertTrue(p.length >= 20);
        }
        double a = dominantClasses(skewed, y, 10), b = dominantClasses(mild, y, 10), c = dominantClasses(flat, y, 10);
        assertTrue(a < b && b < c, a + " < " + b + " < " + c);
        assertTrue(c > 9.5, "alpha 1000 is near IID: " + c);
        assertTrue(a < 3, "alpha 0.1: " + a);
    }

    @Test
    void shardsGiveEachClientAboutTwoLabels() {
        int[] y = labels(6000, 10, 4);
        var parts = Partitions.shards(y, 100, 2, 5);
        assertExactCover(parts, 6000);
        for (int[] p : parts) {
            assertEquals(60, p.length);
            assertTrue(Arrays.stream(p).map(i -> y[i]).distinct().count() <= 4);
        }
        assertTrue(dominantClasses(parts, y, 10) <= 2.5);
    }

    @Test
    void gammaAndDirichletHaveTheirMoments() {
        var rng = new SplittableRandom(7);
        for (double shape : new double[] {0.3, 1, 4.5}) {
            double m = 0, v = 0;
            int n = 200_000;
            double[] xs = new double[n];
            for (int i = 0; i < n; i++) m += xs[i] = Partitions.gamma(shape, rng);
            m /= n;
            for (double x : xs) v += (x - m) * (x - m);
            v /= n - 1;
            assertEquals(shape, m, 0.02 * shape + 0.005, "mean of Gamma(" + shape + ")");
            assertEquals(shape, v, 0.05 * shape + 0.01, "variance of Gamma(" + shape + ")");
        }
        double[] p = Partitions.dirichletSample(5, 0.5, rng);
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-12);
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Partitions.dirichlet(new int[100], 10, 0, 1, 0));
        assertTrue(e.getMessage().contains("alpha"));
        e = assertThrows(IllegalArgumentException.class, () -> Partitions.dirichlet(new int[100], 10, 0.5, 11, 0));
        assertTrue(e.getMessage().contains("at least 11"));
        e = assertThrows(IllegalArgumentException.class, () -> Partitions.iid(5, 6, 0));
        assertTrue(e.getMessage().contains("6 clients"));
    }
}
