package org.sinter.privacy.adversarial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MembershipInferenceTest {

    @Test
    void separatedLossesGiveFullAdvantage() {
        var r = MembershipInference.bestThreshold(new double[] {0.01, 0.02, 0.03}, new double[] {0.5, 0.9, 2.0, 3.0});
        assertEquals(1.0, r.advantage(), 0);
        assertEquals(0.03, r.threshold(), 0);
    }

    @Test
    void identicalDistributionsGiveLittleAdvantage() {
        var rng = new Random(1);
        double[] a = new double[20000], b = new double[20000];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.abs(rng.nextGaussian());
            b[i] = Math.abs(rng.nextGaussian());
        }
        // The best of many cut points over two equal samples: a few sampling standard deviations.
        assertTrue(MembershipInference.bestThreshold(a, b).advantage() < 0.03);
    }

    @Test
    void partialOverlapMatchesAHandCount() {
        // Cut at 0.45: members 3/4 at or below, others 1/4 → advantage 0.5; every other cut is worse.
        var r = MembershipInference.bestThreshold(new double[] {0.1, 0.4, 0.45, 0.9}, new double[] {0.3, 0.5, 0.6, 0.7});
        assertEquals(0.45, r.threshold(), 0);
        assertEquals(0.5, r.advantage(), 1e-15);
        assertEquals(0.75, r.truePositiveRate(), 1e-15);
        assertEquals(0.25, r.falsePositiveRate(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> MembershipInference.bestThreshold(new double[0], new double[] {1}));
    }
}
