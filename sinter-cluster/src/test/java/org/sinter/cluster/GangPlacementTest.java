package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.placement.RandomPlacement;
import org.sinter.cluster.placement.SpreadPlacement;
import org.sinter.cluster.policy.Sjf;
import org.sinter.cluster.sim.SimulationResult;

/** Gang scheduling (all GPUs or none) and where the placements put jobs. */
class GangPlacementTest {
    @Test
    void aJobWaitsForAllItsGpusNotPartOfThem() {
        // Two 4-GPU nodes; X and Y take 3 GPUs each (one per node): 2 GPUs stay free, one on each node.
        // Z needs 2 GPUs on one node: it is not started on the scattered pair, nor on one GPU now and
        // one later; it waits for X and Y to end at t=10, then runs 10-11.
        List<Job> jobs = Scenarios.jobs(new double[] {0, 3, 10}, new double[] {0, 3, 10}, new double[] {1, 2, 1});
        SimulationResult r = Scenarios.run(jobs, "2x4", new Sjf());
        assertArrayEquals(new double[] {10, 10, 10}, Scenarios.jcts(r), 1e-9);
        // The 2 free GPUs were unusable from t=1 to t=10: 18 of 8 GPUs x 11 s fragmented.
        assertEquals(18, r.fragmentedGpuSeconds(), 1e-9);
    }

    @Test
    void consolidationPacksAndSpreadingBalances() {
        Cluster c = new Cluster(2, 4, 16);
        c.allocate(Allocation.onOneNode(0, 1));
        // Best fit: the fuller node 0 that still holds 2; worst fit: the idle node 1.
        assertArrayEquals(new int[] {0}, new ConsolidatePlacement().place(c, 2).nodes());
        assertArrayEquals(new int[] {1}, new SpreadPlacement().place(c, 2).nodes());
    }

    @Test
    void aJobLargerThanANodeTakesWholeNodesAndItsRemainder() {
        Cluster c = new Cluster(3, 4, 16);
        c.allocate(Allocation.onOneNode(1, 2));
        Allocation a = new ConsolidatePlacement().place(c, 6);
        assertNotNull(a);
        assertEquals(6, a.total());
        assertArrayEquals(new int[] {0, 1}, a.nodes()); // idle node 0 whole, the remainder 2 on the best-fit node 1
        assertArrayEquals(new int[] {4, 2}, a.gpus());
        c.allocate(a);
        assertNull(new ConsolidatePlacement().place(c, 5), "only 4 GPUs left");
        assertNull(new RandomPlacement(1).place(c, 5));
    }
}
