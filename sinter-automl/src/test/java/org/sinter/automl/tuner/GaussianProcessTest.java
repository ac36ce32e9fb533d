package org.sinter.automl.tuner;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sinter.automl.space.SearchSpace;

/** The GP's linear algebra and evidence gradient, checked against direct computation and finite differences. */
class GaussianProcessTest {

    @Test
    void choleskySolvesAndInvertsAnSpdMatrix() {
        int n = 6;
        SplittableRandom rng = new SplittableRandom(3);
        double[] b = new double[n * n];
        for (int i = 0; i < b.length; i++) b[i] = rng.nextDouble(-1, 1);
        double[] a = new double[n * n]; // B Bᵀ + n I
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double s = i == j ? n : 0;
                for (int k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
                a[i * n + j] = s;
            }
        Cholesky c = Cholesky.of(a, n);
        double[] rhs = new double[n];
        for (int i = 0; i < n; i++) rhs[i] = i - 2.5;
        double[] x = c.solve(rhs);
        double[] inv = c.inverse();
        for (int i = 0; i < n; i++) {
            double ax = 0;
            for (int k = 0; k < n; k++) ax += a[i * n + k] * x[k];
            assertEquals(rhs[i], ax, 1e-10);
            for (int j = 0; j < n; j++) {
                double e = 0;
                for (int k = 0; k < n; k++) e += a[i * n + k] * inv[k * n + j];
                assertEquals(i == j ? 1 : 0, e, 1e-10);
            }
        }
        // log det by the product of the eigen… here: by Gaussian elimination.
        double[] m = a.clone();
        double logDet = 0;
        for (int p = 0; p < n; p++) {
            logDet += Math.log(m[p * n + p]);
            for (int i = p + 1; i < n; i++) {
                double f = m[i * n + p] / m[p * n + p];
                for (int j = p; j < n; j++) m[i * n + j] -= f * m[p * n + j];
            }
        }
        assertEquals(logDet, c.logDeterminant(), 1e-10);
        assertThrows(ArithmeticException.class, () -> Cholesky.of(new double[] {1, 2, 2, 1}, 2));
    }

    @Test
    void evidenceGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 12, d = 3;
        double[][] x = new double[n][d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) x[i][t] = rng.nextDouble();
            y[i] = Math.sin(4 * x[i][0]) + x[i][1] * x[i][1] - 0.3 * x[i][2];
        }
        Matern52Process gp = new Matern52Process(d);
        gp.fit(x, y, 5); // moves theta off its defaults, so every coordinate is exercised
        double[] theta = gp.theta().clone();
        double[] grad = gp.objectiveGradientAt(theta);
        for (int j = 0; j < theta.length; j++) {
            double h = 1e-5;
            double[] plus = theta.clone(), minus = theta.clone();
            plus[j] += h;
            minus[j] -= h;
            double numeric = (gp.objectiveAt(plus) - gp.objectiveAt(minus)) / (2 * h);
            assertEquals(numeric, grad[j], 1e-4 * Math.max(1, Math.abs(numeric)), "d objective / d theta[" + j + "]");
        }
    }

    @Test
    void theFittedProcessInterpolatesAndIsUncertainAwayFromData() {
        double[][] x = new double[15][1];
        double[] y = new double[15];
        for (int i = 0; i < 15; i++) {
            x[i][0] = i / 14.0 * 0.6; // data on [0, 0.6] only
            y[i] = Math.sin(6 * x[i][0]);
        }
        Matern52Process gp = new Matern52Process(1);
        gp.fit(x, y, 200);
        double[] at = gp.predict(new double[] {0.3});
        assertEquals(Math.sin(1.8), at[0], 0.01);
        double[] far = gp.predict(new double[] {1.0});
        assertTrue(far[1] > 10 * at[1], "sd far from the data " + far[1] + " vs near " + at[1]);
    }

    @Test
    void unitCubeRoundTripsEveryKindAndRefusesNestedChoices() {
        SearchSpace space = SearchSpace.builder().uniform("u", -1, 3).logUniform("lr", 1e-5, 1e-1).randInt("layers", 1, 5)
                .quniform("q", 0, 1, 0.25).normal("n", 2, 0.5).choice("opt", "adam", "sgd", "rmsprop").build();
        UnitCube cube = new UnitCube(space, "gp");
        assertEquals(8, cube.dimension());
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < 200; i++) {
            Map<String, Object> p = space.sample(rng);
            Map<String, Object> back = cube.decode(cube.encode(p));
            assertEquals(p.get("opt"), back.get("opt"));
            assertEquals(p.get("layers"), back.get("layers"));
            assertEquals(p.get("q"), back.get("q"));
            assertEquals((Double) p.get("u"), (Double) back.get("u"), 1e-9);
            assertEquals((Double) p.get("lr"), (Double) back.get("lr"), 1e-12);
            assertEquals((Double) p.get("n"), (Double) back.get("n"), 1e-6);
        }
        var nested = SearchSpace.builder().nestedChoice("m", new org.sinter.automl.space.NestedOption("a",
                SearchSpace.builder().uniform("x", 0, 1).build())).build();
        var e = assertThrows(IllegalArgumentException.class, () -> new GpTuner(nested, 0));
        assertTrue(e.getMessage().contains("parameter 'm' has nested options"), e.getMessage());
    }
}
