package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.automl.assessor.Assessor.AssessResult;
import org.sinter.automl.assessor.CurveFittingAssessor;

/** Learning-curve extrapolation on scripted curves. */
class CurveFittingAssessorTest {
    static List<Double> curve(double c, double a, double alpha, int steps) {
        List<Double> out = new ArrayList<>();
        for (int t = 1; t <= steps; t++) out.add(c + a * Math.pow(t, -alpha));
        return out;
    }

    @Test
    void stopsACurveHeadingAboveTheBestAndKeepsOneHeadingBelowIt() {
        CurveFittingAssessor assessor = new CurveFittingAssessor(20, 4, 0.05);
        // A completed trial ends at loss 0.35 (step 20).
        List<Double> done = curve(0.3, 1.0, 1.0, 20);
        for (int s = 1; s <= 20; s++) assertEquals(AssessResult.GOOD, assessor.assessTrial(0, done.subList(0, s)));
        assessor.trialEnd(0, true);
        // Starts worse (2.0 vs 1.3 at step 1) but falls faster, to 0.022 at step 20: kept at every step.
        List<Double> late = curve(0.0, 2.0, 1.5, 20);
        for (int s = 1; s <= 19; s++) assertEquals(AssessResult.GOOD, assessor.assessTrial(1, late.subList(0, s)), "step " + s);
        // Heads for 0.54 at step 20: stopped at the first assessed step.
        List<Double> poor = curve(0.5, 0.8, 1.0, 20);
        for (int s = 1; s < 4; s++) assertEquals(AssessResult.GOOD, assessor.assessTrial(2, poor.subList(0, s)), "before startStep");
        assertEquals(AssessResult.BAD, assessor.assessTrial(2, poor.subList(0, 4)));
        // Heads for 0.36, within the threshold (best 0.35 + 5%): kept.
        List<Double> close = curve(0.31, 1.0, 1.0, 20);
        for (int s = 4; s <= 19; s++) assertEquals(AssessResult.GOOD, assessor.assessTrial(3, close.subList(0, s)), "step " + s);
    }

    @Test
    void nothingIsStoppedBeforeATrialCompletedAndBadSettingsAreRefused() {
        CurveFittingAssessor assessor = new CurveFittingAssessor(10);
        assertEquals(AssessResult.GOOD, assessor.assessTrial(0, curve(5, 1, 1, 8)));
        assessor.trialEnd(0, false); // a failed or stopped trial sets no bar
        assertEquals(AssessResult.GOOD, assessor.assessTrial(1, curve(9, 1, 1, 8)));
        assertThrows(IllegalArgumentException.class, () -> new CurveFittingAssessor(10, 2, 0.05));
        assertThrows(IllegalArgumentException.class, () -> new CurveFittingAssessor(3, 4, 0.05));
    }
}
