package org.sinter.autotune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.autotune.measure.MeasureResult;
import org.sinter.autotune.search.RandomExplorer;
import org.sinter.autotune.search.TaskScheduler;
import org.sinter.autotune.search.Tuner;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Operators;

/** The budget goes where the expected end-to-end gain is (measurements stubbed by a deterministic cost table). */
class TaskSchedulerTest {
    /** A cost per configuration, the same every time, with a fixed floor: what a real kernel's times look like to the scheduler. */
    private static Tuner.Measure table(double floorSeconds) {
        return (Template t, Config c) -> {
            long h = c.index() * 2654435761L;
            double cost = floorSeconds * (1 + (h % 1000) / 100.0);
            return new MeasureResult(List.of(cost, cost, cost), null, 0);
        };
    }

    @Test
    void heavierSlowerWorkloadsGetMoreTrialsAndTheBudgetIsExact() {
        ComputeDecl small = Operators.matmul(8, 16, 8), big = Operators.matmul(16, 64, 32);
        var fast = new TaskScheduler.Task("small", new Tuner(Templates.of(small), table(1e-6), null, new RandomExplorer(), null, 4, 1), 1, small.flops());
        var slow = new TaskScheduler.Task("big", new Tuner(Templates.of(big), table(1e-3), null, new RandomExplorer(), null, 4, 2), 4, big.flops());
        int[] calls = {0};
        int[] trials = new TaskScheduler(List.of(fast, slow), 4).run(40, (task, n, best, done, budget) -> {
            calls[0]++;
            assertEquals(40, budget);
        });
        assertEquals(40, trials[0] + trials[1]);
        assertEquals(40, calls[0]);
        assertTrue(trials[0] >= 4 && trials[1] >= 4, "every task gets its warm-up batch");
        assertTrue(trials[1] > 3 * trials[0], "the workload with 1000x the latency and 4x the weight gets most trials: " + trials[0] + " vs " + trials[1]);
    }
}
