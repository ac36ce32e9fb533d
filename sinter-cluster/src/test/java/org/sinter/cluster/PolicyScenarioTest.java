package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.cluster.policy.EasyBackfill;
import org.sinter.cluster.policy.Fifo;
import org.sinter.cluster.policy.Sjf;
import org.sinter.cluster.policy.Srtf;
import org.sinter.cluster.policy.Tiresias;
import org.sinter.cluster.sim.SimulationResult;

/** Each policy on a workload small enough to schedule by hand; the expected JCTs are worked out in the comments. */
class PolicyScenarioTest {
    private static final double EXACT = 1e-9;

    /** One 4-GPU node; three whole-node jobs: A (t=0, 10 s), B (t=1, 8 s), C (t=2, 2 s). */
    private static final List<Job> THREE = Scenarios.jobs(new double[] {0, 4, 10}, new double[] {1, 4, 8}, new double[] {2, 4, 2});

    @Test
    void fifoRunsInArrivalOrder() {
        // A 0-10, B 10-18, C 18-20
        SimulationResult r = Scenarios.run(THREE, "1x4", new Fifo());
        assertArrayEquals(new double[] {10, 17, 18}, Scenarios.jcts(r), EXACT);
        assertEquals(0, Scenarios.preemptions(r));
    }

    @Test
    void sjfRunsTheShortestWaitingJobNext() {
        // A 0-10 (alone when it came), then C (2 s) before B (8 s): C 10-12, B 12-20
        SimulationResult r = Scenarios.run(THREE, "1x4", new Sjf());
        assertArrayEquals(new double[] {10, 19, 10}, Scenarios.jcts(r), EXACT);
    }

    @Test
    void srtfPreemptsForShorterRemainingTime() {
        // t=1: B (8) < A's 9 left: A stops. t=2: C (2) < B's 7 left: B stops. C 2-4, B 4-11, A 11-20.
        SimulationResult r = Scenarios.run(THREE, "1x4", new Srtf());
        assertArrayEquals(new double[] {20, 10, 2}, Scenarios.jcts(r), EXACT);
        assertEquals(2, Scenarios.preemptions(r));
    }

    @Test
    void tiresiasDemotesByAttainedServiceWithoutKnowingDurations() {
        // One threshold at 10 GPU-seconds = 2.5 s on 4 GPUs. A runs 0-2.5, falls to queue 1; B (queue 0,
        // earlier than C) preempts it and runs 2.5-5.0, falls too; C runs 5-7 and ends in queue 0.
        // Queue 1 by arrival: A (7.5 s left) 7-14.5, B (5.5 s left) 14.5-20.
        SimulationResult r = Scenarios.run(THREE, "1x4", new Tiresias(10));
        assertArrayEquals(new double[] {14.5, 19, 5}, Scenarios.jcts(r), EXACT);
        assertEquals(2, Scenarios.preemptions(r));
        assertEquals(1, r.jobs().stream().filter(j -> j.job.id() == 0).findFirst().orElseThrow().preemptions());
    }

    @Test
    void tiresiasDoesNotPreemptWithinAQueue() {
        // With the threshold out of reach everyone stays in queue 0: first come first served, no preemption.
        SimulationResult r = Scenarios.run(THREE, "1x4", new Tiresias(1e9));
        assertArrayEquals(new double[] {10, 17, 18}, Scenarios.jcts(r), EXACT);
        assertEquals(0, Scenarios.preemptions(r));
    }

    @Test
    void easyBackfillsAJobThatEndsBeforeTheReservation() {
        // A (2 GPUs, 0-10) runs; B (4 GPUs) is blocked, reserved for t=10 with no GPUs to spare;
        // C (2 GPUs, 8 s) arrives at 2 and ends at 10: backfilled. B 10-15.
        List<Job> jobs = Scenarios.jobs(new double[] {0, 2, 10}, new double[] {1, 4, 5}, new double[] {2, 2, 8});
        assertArrayEquals(new double[] {10, 14, 8}, Scenarios.jcts(Scenarios.run(jobs, "1x4", new EasyBackfill())), EXACT);
        // Strict FIFO makes C wait behind B: 15-23.
        assertArrayEquals(new double[] {10, 14, 21}, Scenarios.jcts(Scenarios.run(jobs, "1x4", new Fifo())), EXACT);
    }

    @Test
    void easyDoesNotBackfillAJobThatWouldDelayTheReservation() {
        // C needs 9 s: it would end at 11, after B's reservation at 10, on GPUs B needs: it waits. B 10-15, C 15-24.
        List<Job> jobs = Scenarios.jobs(new double[] {0, 2, 10}, new double[] {1, 4, 5}, new double[] {2, 2, 9});
        assertArrayEquals(new double[] {10, 14, 22}, Scenarios.jcts(Scenarios.run(jobs, "1x4", new EasyBackfill())), EXACT);
    }
}
