package org.sinter.automl.assessor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learning-curve extrapolation (Domhan, Springenberg, Hutter, IJCAI 2015; NNI's "Curvefitting" assessor, here with
 * two curve families instead of its eleven and least squares instead of MCMC): from {@code startStep} results on,
 * the trial's losses are fitted by a power law {@code c + a·t^(-α)} (α on a grid, c and a ≥ 0 by least squares:
 * losses that level off) and by a log-linear {@code c + b·ln t}; the family with the smaller squared error predicts
 * the loss at {@code maxStep}. The trial is stopped when that prediction is worse than the best final loss of the
 * completed trials by more than {@code threshold} of its magnitude (NNI stops below 0.95 of the best accuracy:
 * threshold 0.05). Nothing is stopped before a trial completed.
 */
public final class CurveFittingAssessor implements Assessor {
    private static final double[] ALPHAS = {0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3};

    private final int maxStep;
    private final int startStep;
    private final double threshold;
    private final Map<Integer, List<Double>> running = new HashMap<>();
    private double bestFinal = Double.POSITIVE_INFINITY;

    public CurveFittingAssessor(int maxStep) {
        this(maxStep, Math.max(3, maxStep / 4), 0.05);
    }

    public CurveFittingAssessor(int maxStep, int startStep, double threshold) {
        if (startStep < 3 || maxStep < startStep || !(threshold >= 0))
            throw new IllegalArgumentException("curve fitting needs 3 <= startStep <= maxStep and threshold >= 0, got startStep "
                    + startStep + ", maxStep " + maxStep + ", threshold " + threshold);
        this.maxStep = maxStep;
        this.startStep = startStep;
        this.threshold = threshold;
    }

    @Override
    public AssessResult assessTrial(int trialId, List<Double> history) {
        running.put(trialId, List.copyOf(history));
        if (history.size() < startStep || history.size() >= maxStep || Double.isInfinite(bestFinal)) return AssessResult.GOOD;
        double predicted = predict(history, maxStep);
        return predicted > bestFinal + threshold * Math.abs(bestFinal) ? AssessResult.BAD : AssessResult.GOOD;
    }

    @Override
    public void trialEnd(int trialId, boolean success) {
        List<Double> history = running.remove(trialId);
        if (success && history != null && !history.isEmpty()) bestFinal = Math.min(bestFinal, history.getLast());
    }

    /** The loss at step {@code at} (1-based) that the better-fitting curve family predicts from {@code history}. */
    static double predict(List<Double> history, int at) {
        int n = history.size();
        double[] t = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i + 1;
            y[i] = history.get(i);
        }
        double bestError = Double.POSITIVE_INFINITY, prediction = y[n - 1];
        for (double alpha : ALPHAS) {
            double[] fit = linearFit(t, y, x -> Math.pow(x, -alpha));
            if (fit[1] < 0) continue; // a decreasing power law only: a loss that gets worse is the log-linear's case
            if (fit[2] < bestError) {
                bestError = fit[2];
                prediction = fit[0] + fit[1] * Math.pow(at, -alpha);
            }
        }
        double[] log = linearFit(t, y, Math::log);
        if (log[2] < bestError) prediction = log[0] + log[1] * Math.log(at);
        return prediction;
    }

    /** Least squares of {@code y ≈ c + b·f(t)}: {c, b, squared error}. */
    private static double[] linearFit(double[] t, double[] y, java.util.function.DoubleUnaryOperator f) {
        int n = t.length;
        double sf = 0, sy = 0, sff = 0, sfy = 0;
        for (int i = 0; i < n; i++) {
            double v = f.applyAsDouble(t[i]);
            sf += v; sy += y[i]; sff += v * v; sfy += v * y[i];
        }
        double det = n * sff - sf * sf;
        double b = Math.abs(det) < 1e-12 ? 0 : (n * sfy - sf * sy) / det;
        double c = (sy - b * sf) / n;
        double error = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - c - b * f.applyAsDouble(t[i]);
            error += r * r;
        }
        return new double[] {c, b, error};
    }
}
