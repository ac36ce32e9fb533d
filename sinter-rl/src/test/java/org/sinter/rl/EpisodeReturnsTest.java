package org.sinter.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EpisodeReturnsTest {
    @Test
    void theBarNeedsAFullWindowAndIsRecordedOnce() {
        EpisodeReturns r = new EpisodeReturns(3, 10);
        assertTrue(Double.isNaN(r.recentMean()));
        assertFalse(r.add(30, 100), "one episode is not a full window");
        assertFalse(r.add(0, 200));
        assertTrue(r.add(0, 300), "30, 0, 0 average exactly 10");
        assertEquals(300, r.stepsToThreshold());
        assertFalse(r.add(50, 400), "only the first crossing counts");
        assertEquals(50 / 3.0, r.recentMean(), 1e-12);
        TrainingResult t = r.result(500, 2.0);
        assertEquals(4, t.episodes());
        assertEquals(300, t.stepsToThreshold());
        assertEquals(250, t.stepsPerSecond(), 1e-12);
        assertTrue(t.summary("PPO", 1, 10).contains("reached 10 at 300 steps"), t.summary("PPO", 1, 10));
    }
}
