package org.sinter.automl.assessor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter
 * Tuning", MLSys 2020) as a stopping rule, the form Ray Tune's ASHA scheduler takes: rungs sit at
 * {@code minResource · η^k} intermediate results, below {@code maxResource}. A trial reaching a
 * rung continues only if its loss there is within the best {@code 1/η} of the losses that
 * earlier trials recorded at that rung (a trial first at a rung always continues), so promotion
 * never waits for a rung to fill: that is the asynchronous part. Each reported result counts as
 * one unit of resource (an epoch, say).
 */
public final class AshaAssessor implements Assessor {
    private final int[] rungs;
    private final List<List<Double>> recorded = new ArrayList<>();
    private final double reductionFactor;

    public AshaAssessor(int minResource, int maxResource, double reductionFactor) {
        if (minResource < 1 || maxResource <= minResource || !(reductionFactor > 1))
            throw new IllegalArgumentException("ASHA needs 1 <= minResource < maxResource and reductionFactor > 1, got "
                    + minResource + ", " + maxResource + ", " + reductionFactor);
        this.reductionFactor = reductionFactor;
        List<Integer> milestones = new ArrayList<>();
        for (double r = minResource; r < maxResource; r *= reductionFactor) {
            int milestone = (int) Math.round(r);
            if (milestones.isEmpty() || milestone > milestones.getLast()) milestones.add(milestone);
        }
        rungs = milestones.stream().mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < rungs.length; i++) recorded.add(new ArrayList<>());
    }

    /** The resource levels at which trials are judged. */
    public int[] rungs() { return rungs.clone(); }

    @Override
    public AssessResult assessTrial(int trialId, List<Double> history) {
        int rung = Arrays.binarySearch(rungs, history.size());
        if (rung < 0) return AssessResult.GOOD;
        double loss = history.getLast();
        List<Double> earlier = recorded.get(rung);
        boolean promoted = earlier.isEmpty() || loss <= quantile(earlier, 1 / reductionFactor);
        earlier.add(loss);
        return promoted ? AssessResult.GOOD : AssessResult.BAD;
    }

    /** numpy's default (linear) percentile, as Ray Tune computes its ASHA cutoff. */
    static double quantile(List<Double> values, double q) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double position = q * (v.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, v.length - 1);
        return v[lower] + (position - lower) * (v[upper] - v[lower]);
    }
}
