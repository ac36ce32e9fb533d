package org.sinter.automl.assessor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The median stopping rule (Golovin et al., "Google Vizier", KDD 2017; NNI's "Medianstop"): at
 * step {@code s} a trial is stopped when its best loss so far is strictly worse than the median,
 * over the completed trials that reached step {@code s}, of their running-average losses up to
 * {@code s}. Nothing is stopped before {@code startStep} results or before any trial completed.
 */
public final class MedianStopAssessor implements Assessor {
    private final int startStep;
    private final Map<Integer, List<Double>> running = new HashMap<>();
    /** Per completed trial, its running average at each step. */
    private final List<double[]> completedAverages = new ArrayList<>();

    public MedianStopAssessor() { this(0); }

    public MedianStopAssessor(int startStep) {
        if (startStep < 0) throw new IllegalArgumentException("startStep must be >= 0, got " + startStep);
        this.startStep = startStep;
    }

    @Override
    public AssessResult assessTrial(int trialId, List<Double> history) {
        running.put(trialId, List.copyOf(history));
        int step = history.size();
        if (step < startStep || step == 0) return AssessResult.GOOD;
        double[] averagesAtStep = completedAverages.stream().filter(a -> a.length >= step).mapToDouble(a -> a[step - 1]).toArray();
        if (averagesAtStep.length == 0) return AssessResult.GOOD;
        double best = history.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        return best > median(averagesAtStep) ? AssessResult.BAD : AssessResult.GOOD;
    }

    @Override
    public void trialEnd(int trialId, boolean success) {
        List<Double> history = running.remove(trialId);
        if (!success || history == null || history.isEmpty()) return;
        double[] averages = new double[history.size()];
        double sum = 0;
        for (int i = 0; i < averages.length; i++) {
            sum += history.get(i);
            averages[i] = sum / (i + 1);
        }
        completedAverages.add(averages);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
