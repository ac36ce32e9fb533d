package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.sinter.cluster.trace.DiurnalArrivals;
import org.sinter.cluster.trace.SyntheticTrace;
import org.junit.jupiter.api.Test;

/** The daily arrival cycle: its mean rate, its peak-to-trough shape, determinism, and plain Poisson at amplitude 0. */
class DiurnalArrivalsTest {
    static final double HOUR = 3600;

    @Test
    void keepsTheMeanRateAndPeaksInTheAfternoon() {
        double mean = 1.0 / 60; // one a minute: 200,000 arrivals span about 139 days
        double[] t = new DiurnalArrivals(mean, 0.8, 24 * HOUR, 14 * HOUR).times(200_000, new SplittableRandom(1));
        for (int i = 1; i < t.length; i++) assertTrue(t[i] > t[i - 1], "increasing");
        assertEquals(mean, t.length / t[t.length - 1], mean * 0.03, "mean rate over whole days");
        int peak = 0, trough = 0;
        for (double x : t) {
            double hour = (x % (24 * HOUR)) / HOUR;
            if (hour >= 12 && hour < 16) peak++;
            if (hour >= 0 && hour < 4) trough++;
        }
        // The rate averaged over 12-16 h is mean (1 + 0.8 * 0.955), over 0-4 h mean (1 - 0.8 * 0.955): 1.764 / 0.236 = 7.5.
        double ratio = (double) peak / trough;
        assertTrue(ratio > 6.5 && ratio < 8.7, "peak/trough " + ratio);
    }

    @Test
    void sameSeedSameArrivalsAndZeroAmplitudeIsPlainPoisson() {
        List<Job> a = SyntheticTrace.generate(500, 64, 64, 1.2, 7, 0.5), b = SyntheticTrace.generate(500, 64, 64, 1.2, 7, 0.5);
        assertEquals(a, b);
        List<Job> plain = SyntheticTrace.generate(500, 64, 64, 1.2, 7), flat = SyntheticTrace.generate(500, 64, 64, 1.2, 7, 0);
        assertEquals(plain, flat);
        assertArrayEquals(plain.stream().mapToDouble(Job::duration).toArray(), a.stream().mapToDouble(Job::duration).toArray(), "the cycle moves arrivals only");
    }

    @Test
    void badParametersAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DiurnalArrivals(1, 1.5, 86400, 0)).getMessage().contains("amplitude"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DiurnalArrivals(0, 0.5, 86400, 0)).getMessage().contains("mean rate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DiurnalArrivals(1, 0.5, 0, 0)).getMessage().contains("period"));
    }
}
