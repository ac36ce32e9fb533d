package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.sinter.cluster.policy.Tiresias;
import org.sinter.cluster.sim.SimulationResult;

/**
 * The order inside a Tiresias queue, worked out by hand on one GPU with one threshold at 100
 * GPU-seconds: job A (1,000 s) arrives at 0, job B (1,000 s) at 10. A runs first and enters the
 * second queue at 100, where B (first queue) preempts it; B enters the second queue at 200.
 */
class TiresiasQueueOrderTest {
    static final double[][] JOBS = {{0, 1, 1000}, {10, 1, 1000}};

    @Test
    void byArrivalTheDemotedJobKeepsRunning() {
        // B, now running in the second queue, is never preempted by A of the same queue: B ends at
        // 200 + 900 = 1,100 (JCT 1,090), then A's last 900 s end at 2,000
        SimulationResult r = Scenarios.run(Scenarios.jobs(JOBS), "1x1", new Tiresias(0, new double[] {100}, false));
        assertArrayEquals(new double[] {2000, 1090}, Scenarios.jcts(r), 1e-9);
    }

    @Test
    void byQueueEntryTheDemotedJobGoesBehindTheQueuesWaitingJobs() {
        // the authors' simulator: B entered the second queue at 200, behind A (entered at 100), so it
        // yields the GPU: A runs 200-1,100, then B's last 900 s end at 2,000 (JCT 1,990)
        SimulationResult r = Scenarios.run(Scenarios.jobs(JOBS), "1x1", new Tiresias(0, new double[] {100}, true));
        assertArrayEquals(new double[] {1100, 1990}, Scenarios.jcts(r), 1e-9);
    }
}
