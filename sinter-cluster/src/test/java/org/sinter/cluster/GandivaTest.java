package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.cluster.policy.Fifo;
import org.sinter.cluster.policy.Gandiva;
import org.sinter.cluster.sim.SimulationResult;

/** Gandiva's time-slicing and migration on workloads worked out by hand. */
class GandivaTest {
    private static final double EXACT = 1e-9;

    @Test
    void timeSlicingGivesAWaitingJobATurnAfterAQuantum() {
        // One node of 4; quantum 10 s. A (t=0, 4 GPUs, 30 s) runs 0-10; B (t=1, 4 GPUs, 5 s) has waited
        // since 1, so at t=10 A is suspended and B runs 10-15 (JCT 14); A resumes 15-35 (JCT 35).
        // FIFO: B waits for A, 30-35 (JCT 34).
        List<Job> jobs = Scenarios.jobs(new double[] {0, 4, 30}, new double[] {1, 4, 5});
        SimulationResult r = Scenarios.run(jobs, "1x4", new Gandiva(10));
        assertArrayEquals(new double[] {35, 14}, Scenarios.jcts(r), EXACT);
        assertEquals(1, Scenarios.preemptions(r));
        assertArrayEquals(new double[] {30, 34}, Scenarios.jcts(Scenarios.run(jobs, "1x4", new Fifo())), EXACT);
    }

    @Test
    void jobsTakeTurnsRoundRobin() {
        // One node of 4, quantum 10: A and B (4 GPUs, 25 s each, t=0 and t=0.5) alternate:
        // A 0-10, B 10-20, A 20-30, B 30-40, A 40-45 (JCT 45), B 45-50 (JCT 49.5).
        List<Job> jobs = Scenarios.jobs(new double[] {0, 4, 25}, new double[] {0.5, 4, 25});
        SimulationResult r = Scenarios.run(jobs, "1x4", new Gandiva(10));
        assertArrayEquals(new double[] {45, 49.5}, Scenarios.jcts(r), EXACT);
        assertEquals(4, Scenarios.preemptions(r));
    }

    @Test
    void migrationDefragmentsForAJobThatFitsInANode() {
        // Two nodes of 4. At t=0 P (2 GPUs) and X (1) fill node 0 to 3, Q (3) node 1: one GPU free on
        // each. Z (t=1, 2 GPUs, 10 s) fits in a node but finds none: X moves to node 1 and Z takes node
        // 0 at once (JCT 10); everyone else ends at 100. FIFO: Z waits for t=100 (JCT 109).
        List<Job> jobs = Scenarios.jobs(new double[] {0, 2, 100}, new double[] {0, 1, 100}, new double[] {0, 3, 100}, new double[] {1, 2, 10});
        Gandiva g = new Gandiva(1000);
        SimulationResult r = Scenarios.run(jobs, "2x4", g);
        assertArrayEquals(new double[] {100, 100, 100, 10}, Scenarios.jcts(r), EXACT);
        assertEquals(1, g.migrations());
        assertArrayEquals(new double[] {100, 100, 100, 109}, Scenarios.jcts(Scenarios.run(jobs, "2x4", new Fifo())), EXACT);
    }
}
