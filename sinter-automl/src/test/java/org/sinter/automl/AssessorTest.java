package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;
import static org.sinter.automl.assessor.Assessor.AssessResult.BAD;
import static org.sinter.automl.assessor.Assessor.AssessResult.GOOD;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.automl.assessor.Assessor;
import org.sinter.automl.assessor.AshaAssessor;
import org.sinter.automl.assessor.MedianStopAssessor;

class AssessorTest {

    /** Feeds a curve step by step; returns the step (1-based) at which it was stopped, or 0. */
    static int run(Assessor a, int id, double... curve) {
        List<Double> history = new ArrayList<>();
        for (double v : curve) {
            history.add(v);
            if (a.assessTrial(id, List.copyOf(history)) == Assessor.AssessResult.BAD) {
                a.trialEnd(id, false);
                return history.size();
            }
        }
        a.trialEnd(id, true);
        return 0;
    }

    @Test
    void medianStopScriptedScenario() {
        MedianStopAssessor a = new MedianStopAssessor(2);
        assertEquals(0, run(a, 0, 1.0, 0.8, 0.6, 0.4));   // averages 1.0 0.9 0.8 0.7
        assertEquals(0, run(a, 1, 0.8, 0.6, 0.4, 0.2));   // step 2: best 0.6 <= median(0.9) -> on; averages 0.8 0.7 0.6 0.5
        // step 1 is before startStep; step 2: best 0.95 > median(0.9, 0.7) = 0.8 -> stopped at 2
        assertEquals(2, run(a, 2, 1.2, 0.95, 0.1));
        // a stopped trial does not join the completed set: the median at step 2 is still 0.8
        assertEquals(0, run(a, 3, 0.9, 0.8, 0.7));        // step 2 best 0.8 == median: not strictly worse
        // completed now: averages of 0,1,3 at step 3: 0.8, 0.6, 0.8 -> median 0.8; best 0.85 > 0.8 -> stop at 3
        assertEquals(3, run(a, 4, 0.9, 0.85, 0.85));
        // at step 4 only trials 0 and 1 reached it: median(0.7, 0.5) = 0.6
        assertEquals(4, run(a, 5, 0.8, 0.7, 0.65, 0.61));
        assertEquals(0, run(a, 6, 0.8, 0.7, 0.65, 0.6));
    }

    @Test
    void ashaRungsAreGeometric() {
        assertArrayEquals(new int[] {1, 3, 9, 27}, new AshaAssessor(1, 81, 3).rungs());
        assertArrayEquals(new int[] {2, 4, 8}, new AshaAssessor(2, 10, 2).rungs());
    }

    @Test
    void ashaPromotesOnlyTheTopFractionOfWhatEachRungHasSeen() {
        AshaAssessor a = new AshaAssessor(1, 16, 2);     // rungs 1, 2, 4, 8
        assertEquals(0, run(a, 0, 0.5, 0.4, 0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1));  // first everywhere: runs to the end
        // rung 1 holds {0.5}; 0.6 is above its median (q = 1/2) -> stopped at the first rung
        assertEquals(1, run(a, 1, 0.6, 0.1));
        // rung 1 {0.5, 0.6}: cutoff 0.55, 0.3 passes; rung 2 {0.4}: cutoff 0.4, 0.35 passes;
        // step 3 is no rung; rung 4 {0.2}: 0.25 fails -> stopped at 4
        assertEquals(4, run(a, 2, 0.3, 0.35, 0.1, 0.25));
        // rung 1 {0.5, 0.6, 0.3}: cutoff 0.5 -> 0.5 passes (not strictly worse); rung 2 {0.4, 0.35}: cutoff 0.375, 0.38 fails
        assertEquals(2, run(a, 3, 0.5, 0.38));
        assertEquals(GOOD, new AshaAssessor(1, 4, 2).assessTrial(9, List.of(5.0)));
        assertEquals(BAD, worseThanTheTopThird());
    }

    private static Assessor.AssessResult worseThanTheTopThird() {
        AshaAssessor a = new AshaAssessor(1, 4, 3);
        a.assessTrial(0, List.of(0.1));
        a.assessTrial(1, List.of(0.2));
        a.assessTrial(2, List.of(0.3));
        return a.assessTrial(3, List.of(0.2)); // cutoff of {0.1, 0.2, 0.3} at q = 1/3 is 0.1667
    }
}
