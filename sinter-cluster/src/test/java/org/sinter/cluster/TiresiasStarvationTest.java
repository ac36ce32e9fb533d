package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.cluster.policy.Tiresias;
import org.sinter.cluster.sim.SimulationResult;

/** Tiresias' starvation guard: a long job preempted by a stream of short ones. */
class TiresiasStarvationTest {
    /**
     * On 4 GPUs: a 4-GPU job of 1,000 s at t = 0, then 4-GPU jobs of 200 s (800 GPU-s, below the
     * 1,000 GPU-s threshold) every 200 s from t = 100 to t = 6,000. The long job enters the second
     * queue at t = 250 and, without the guard, every short job outranks it.
     */
    static List<Job> stream() {
        List<double[]> rows = new ArrayList<>();
        rows.add(new double[] {0, 4, 1000});
        for (double t = 100; t <= 6000; t += 200) rows.add(new double[] {t, 4, 200});
        return Scenarios.jobs(rows.toArray(new double[0][]));
    }

    static org.sinter.cluster.sim.JobState longJob(SimulationResult r) {
        return r.jobs().stream().filter(j -> j.job.id() == 0).findFirst().orElseThrow();
    }

    @Test
    void withoutTheGuardTheLongJobWaitsOutTheStream() {
        SimulationResult r = Scenarios.run(stream(), "1x4", new Tiresias(0, new double[] {1000}));
        double[] jct = Scenarios.jcts(r);
        // It ran 250 s before the stream took over; the last short job ends at 6,200 at the earliest.
        assertTrue(jct[0] >= 6200 + 750 - 1e-6, "long job finished at " + jct[0]);
        assertEquals(1, longJob(r).preemptions());
    }

    @Test
    void withTheGuardItRunsBetweenShortJobs() {
        SimulationResult off = Scenarios.run(stream(), "1x4", new Tiresias(0, new double[] {1000}));
        SimulationResult on = Scenarios.run(stream(), "1x4", new Tiresias(2, new double[] {1000}));
        double longOff = Scenarios.jcts(off)[0], longOn = Scenarios.jcts(on)[0];
        // Promoted after waiting twice its last run (250 s), it runs 250 s (1,000 GPU-s) per turn
        // between short jobs and is done long before the stream ends.
        assertTrue(longOn < 6000 && longOn < longOff - 2000, "guarded " + longOn + " vs unguarded " + longOff);
        assertTrue(longJob(on).preemptions() >= 3, "preemptions " + longJob(on).preemptions());
        // Every job still finishes, the work is conserved: the makespan is the total work on the one gang slot.
        double work = stream().stream().mapToDouble(Job::duration).sum();
        assertEquals(work, on.lastFinish() - on.firstArrival(), 1e-6);
    }

    @Test
    void aNegativeKnobIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Tiresias(-1, new double[] {1000}));
        assertTrue(e.getMessage().contains("promote knob"), e.getMessage());
    }
}
