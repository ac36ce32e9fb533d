package org.sinter.automl.tuner;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SMAC's random forest: fits what it saw, is unsure where it saw nothing or where the trees disagree. */
class RegressionForestTest {
    @Test
    void fitsAStepFunctionAndIsLessCertainBetweenItsSamples() {
        // y = 1 for x0 > 0.5, else 0; x1 is noise the splits must ignore.
        SplittableRandom rng = new SplittableRandom(1);
        int n = 60;
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {rng.nextDouble(), rng.nextDouble()};
            y[i] = x[i][0] > 0.5 ? 1 : 0;
        }
        RegressionForest forest = new RegressionForest(10, 2, 1, 1.0);
        forest.fit(x, y, new SplittableRandom(2));
        assertEquals(0, forest.predict(new double[] {0.1, 0.9})[0], 1e-9);
        assertEquals(1, forest.predict(new double[] {0.9, 0.1})[0], 1e-9);
        assertEquals(0, forest.predict(new double[] {0.1, 0.9})[1], 1e-9, "every tree agrees far from the step");
        // Between the samples nearest the step the trees put their random thresholds at different places.
        double gapLow = 0, gapHigh = 1;
        for (double[] p : x) {
            if (p[0] <= 0.5) gapLow = Math.max(gapLow, p[0]);
            else gapHigh = Math.min(gapHigh, p[0]);
        }
        double[] atStep = forest.predict(new double[] {(gapLow + gapHigh) / 2, 0.5});
        assertTrue(atStep[1] > 0.01, "variance at the step " + atStep[1]);
        assertTrue(atStep[0] > 0 && atStep[0] < 1, "mean at the step " + atStep[0]);
    }

    @Test
    void meanAndTotalVarianceOfAConstantLeafForest() {
        RegressionForest forest = new RegressionForest(3, 2, 1, 1.0);
        forest.fit(new double[][] {{0.2}, {0.2}, {0.2}}, new double[] {1, 2, 3}, new SplittableRandom(0));
        // One unsplittable leaf per tree (all x equal): each tree's bootstrap mean and variance, combined by total variance.
        double[] mv = forest.predict(new double[] {0.7});
        assertTrue(mv[0] >= 1 && mv[0] <= 3);
        assertTrue(mv[1] >= 0 && mv[1] <= 1, "variance of values in [1, 3] " + mv[1]);
        assertThrows(IllegalArgumentException.class, () -> new RegressionForest(0, 2, 1, 1.0));
        assertThrows(IllegalStateException.class, () -> new RegressionForest(2, 2, 1, 1.0).predict(new double[] {0}));
    }
}
