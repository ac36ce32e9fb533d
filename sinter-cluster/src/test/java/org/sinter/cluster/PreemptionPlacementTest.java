package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sinter.cluster.placement.SpreadPlacement;
import org.sinter.cluster.policy.Srtf;
import org.sinter.cluster.policy.Tiresias;
import org.sinter.cluster.sim.SimulationResult;

/**
 * A job that must sit on one node preempts on one node. Two nodes of 4 GPUs: A (3 GPUs, 1,000 s) and
 * C (1 GPU, 100 s) share node 0, B (3 GPUs, 990 s) and D (1 GPU, 90 s) node 1. At t = 10 E (4 GPUs,
 * 10 s) arrives and outranks them all. The two jobs with the most remaining time, A and B, hold 6
 * GPUs, but 3 on each node: stopping them would not make room for E. Stopping A and C (node 0) does.
 */
class PreemptionPlacementTest {
    static final double[][] JOBS = {{0, 3, 1000}, {1, 3, 990}, {2, 1, 100}, {3, 1, 90}, {10, 4, 10}};

    @Test
    void srtfStopsTheLeastUrgentJobsOfOneNode() {
        SimulationResult r = Scenarios.run(Scenarios.jobs(JOBS), "2x4", new Srtf());
        double[] jct = Scenarios.jcts(r);
        assertEquals(10, jct[4], 1e-9); // E runs 10-20 on node 0 instead of waiting for A to end at 1,000
        // Then SRTF goes on as always: C (92 s left) outranks B (981 s left) and takes one of B's GPUs
        // on node 1 (3 preemptions in all). At 20 B resumes on node 0 (ends 1,001); A waits for a node
        // with 3 free GPUs, node 1 when D ends at 93 (ends 1,083); C ends at 102
        assertEquals(3, Scenarios.preemptions(r));
        assertEquals(1083, jct[0], 1e-9);
        assertEquals(1000, jct[1], 1e-9);
        assertEquals(100, jct[2], 1e-9);
        assertEquals(90, jct[3], 1e-9);
    }

    @Test
    void tiresiasStopsTheLatestArrivalsOfOneNode() {
        // spread placement, four 2-GPU jobs of 1,000 s at 0..3: A and C on node 0, B and D on node 1.
        // One threshold at 5 GPU-s: by t = 10 all four are in the second queue and E (4 GPUs, 10 s) in
        // the first. Latest arrivals first, D and C hold 4 GPUs but 2 on each node; the node whose
        // victims arrived latest is node 1 (D, then B): they stop, E runs 10-20, then B and D resume.
        double[][] jobs = {{0, 2, 1000}, {1, 2, 1000}, {2, 2, 1000}, {3, 2, 1000}, {10, 4, 10}};
        SimulationResult r = Scenarios.run(Scenarios.jobs(jobs), "2x4", new Tiresias(0, new double[] {5}), new SpreadPlacement());
        double[] jct = Scenarios.jcts(r);
        assertEquals(10, jct[4], 1e-9); // it used to wait for node 0 to empty, at 1,002
        assertEquals(2, Scenarios.preemptions(r));
        assertEquals(1000, jct[0], 1e-9);
        assertEquals(1010, jct[1], 1e-9);
        assertEquals(1000, jct[2], 1e-9);
        assertEquals(1010, jct[3], 1e-9);
    }
}
