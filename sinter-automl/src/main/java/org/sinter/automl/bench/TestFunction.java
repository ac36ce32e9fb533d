package org.sinter.automl.bench;

import java.util.Map;
import org.sinter.automl.space.SearchSpace;

/**
 * The standard synthetic black-box functions tuners are compared on (definitions and minima as in
 * Surjanovic and Bingham's Virtual Library of Simulation Experiments): each with its box as a
 * search space of uniform parameters {@code x0..x(d-1)}, and its known global minimum, so a run's
 * regret is {@code best loss found - minimum}.
 */
public enum TestFunction {
    BRANIN(new double[] {-5, 0}, new double[] {10, 15}, 0.39788735772973816) {
        double value(double[] x) {
            double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
            double u = x[1] - b * x[0] * x[0] + c * x[0] - 6;
            return u * u + 10 * (1 - t) * Math.cos(x[0]) + 10;
        }
    },
    HARTMANN6(fill(6, 0), fill(6, 1), -3.322368011415511) {
        private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
        private static final double[][] A = {
                {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
        private static final double[][] P = {
                {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886}, {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
                {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650}, {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};
        double value(double[] x) {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                double inner = 0;
                for (int j = 0; j < 6; j++) inner += A[i][j] * (x[j] - P[i][j]) * (x[j] - P[i][j]);
                sum += ALPHA[i] * Math.exp(-inner);
            }
            return -sum;
        }
    },
    ROSENBROCK4(fill(4, -5), fill(4, 10), 0) {
        double value(double[] x) {
            double sum = 0;
            for (int i = 0; i + 1 < x.length; i++) {
                double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
                sum += 100 * a * a + b * b;
            }
            return sum;
        }
    },
    STYBLINSKI_TANG5(fill(5, -5), fill(5, 5), -39.16616570377142 * 5) {
        double value(double[] x) {
            double sum = 0;
            for (double v : x) sum += v * v * v * v - 16 * v * v + 5 * v;
            return sum / 2;
        }
    };

    private final double[] low, high;
    private final double minimum;

    TestFunction(double[] low, double[] high, double minimum) {
        this.low = low;
        this.high = high;
        this.minimum = minimum;
    }

    abstract double value(double[] x);

    public double minimum() { return minimum; }

    public int dimension() { return low.length; }

    public SearchSpace space() {
        SearchSpace.Builder b = SearchSpace.builder();
        for (int i = 0; i < low.length; i++) b.uniform("x" + i, low[i], high[i]);
        return b.build();
    }

    /** The function at a trial's parameters {@code x0..x(d-1)}. */
    public double evaluate(Map<String, Object> parameters) {
        double[] x = new double[low.length];
        for (int i = 0; i < x.length; i++) x[i] = ((Number) parameters.get("x" + i)).doubleValue();
        return value(x);
    }

    private static double[] fill(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
