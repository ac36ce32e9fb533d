package org.sinter.learned.tuning;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sinter.automl.experiment.TrialRecord;

/**
 * What a tuning run found and how it held up when re-measured: the default and the best setting,
 * each measured {@code rounds} times alternately after the search (so both see the same machine
 * load), and the gain of the medians.
 */
public record TuningResult(Map<String, Object> defaults, Map<String, Object> best, List<TrialRecord> trials,
                           double[] defaultScores, double[] bestScores) {
    public double defaultMedian() { return median(defaultScores); }

    public double bestMedian() { return median(bestScores); }

    /** Relative gain of the best setting over the defaults, re-measured: 0.10 is 10% better. */
    public double gain() { return bestMedian() / defaultMedian() - 1; }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
