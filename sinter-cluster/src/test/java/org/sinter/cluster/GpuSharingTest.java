package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.cluster.metrics.Summary;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.placement.Placement;
import org.sinter.cluster.policy.CapacityScheduler;
import org.sinter.cluster.policy.Drf;
import org.sinter.cluster.policy.Fifo;
import org.sinter.cluster.policy.HiveD;
import org.sinter.cluster.policy.Policy;
import org.sinter.cluster.policy.Sjf;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Simulator;

/**
 * Jobs that use a share of one GPU (Alibaba's gpu_milli): milli-GPU accounting per GPU, whole-GPU
 * jobs only on GPUs nobody shares, each placement's choice of GPU, and whole replays worked out by hand.
 */
class GpuSharingTest {
    static Job share(int id, int milli, double duration) {
        return new Job(id, "share", 0, 1, duration, "vc", "test:" + id, 1, 1, milli);
    }

    static Job whole(int id, int gpus, double duration) {
        return new Job(id, "whole", 0, gpus, duration, "vc", "test:" + id, 1, 1);
    }

    @Test
    void sharesAreCountedPerGpuInMilliAndWholeJobsTakeOnlyUnsharedGpus() {
        Cluster c = new Cluster(1, 2, 16);
        Placement packing = Placement.of("packing", 0);
        Allocation a = packing.place(c, share(0, 600, 1));
        c.allocate(a);
        assertEquals(1, c.freeGpus(), "a shared GPU is no longer free for whole-GPU jobs");
        assertEquals(600, c.allocatedMilli());
        Allocation b = packing.place(c, share(1, 300, 1));
        assertEquals(a.sharedGpu(), b.sharedGpu(), "packing fills the GPU already in use (400 free) before the free one");
        c.allocate(b);
        Allocation d = packing.place(c, share(2, 500, 1)); // 100 left on the shared GPU: it opens the other
        assertTrue(d.sharedGpu() != a.sharedGpu());
        c.allocate(d);
        assertEquals(0, c.freeGpus());
        assertEquals(1400, c.allocatedMilli());
        assertNull(packing.place(c, whole(3, 1, 1)), "no GPU is free whole");
        assertNull(packing.place(c, share(4, 600, 1)), "pieces of 100 and 500 do not hold 600 milli-GPUs");
        assertEquals(600, c.sharedFreeBelow(600), "free pieces below 600: 100 + 500");
        c.release(d);
        assertEquals(1, c.freeGpus(), "its last sharer gone, the GPU is free again");
        c.release(a);
        c.release(b);
        assertEquals(2, c.freeGpus());
        assertEquals(0, c.allocatedMilli());
        assertEquals(0, c.sharedGpus());
    }

    @Test
    void eachPlacementChoosesItsGpuForAShare() {
        // Two nodes of 2 GPUs: GPU 0 of node 0 has 500 milli free, GPU 0 of node 1 has 200 free.
        Cluster c = new Cluster(2, 2, 16);
        c.allocate(Allocation.share(0, 0, 500));
        c.allocate(Allocation.share(1, 0, 800));
        Job small = share(9, 150, 1);
        assertPlaced(c, "first-fit", small, 0, 0);     // the first GPU that holds it
        assertPlaced(c, "packing", small, 1, 0);       // the fullest GPU that holds it (200 free)
        assertPlaced(c, "consolidate", small, 1, 0);   // the fullest node (1,200 milli free), its first GPU that holds it
        assertPlaced(c, "spread", small, 0, 1);        // the emptiest node (1,500 free), its emptiest GPU
        Job big = share(10, 600, 1);                   // only the free GPUs hold it
        assertPlaced(c, "first-fit", big, 0, 1);
        assertPlaced(c, "packing", big, 1, 1);         // equally full GPUs: the fuller node
        int[] drawn = new int[2];
        Placement random = Placement.of("random", 7);
        for (int i = 0; i < 400; i++) drawn[random.place(c, small).nodes()[0]]++;
        assertTrue(drawn[0] > 150 && drawn[1] > 150, "random draws over the 4 GPUs that hold it, 2 per node: " + drawn[0] + "/" + drawn[1]);
    }

    private static void assertPlaced(Cluster c, String placement, Job j, int node, int gpu) {
        Allocation a = Placement.of(placement, 0).place(c, j);
        assertArrayEquals(new int[] {node, gpu}, new int[] {a.nodes()[0], a.sharedGpu()}, placement);
        assertEquals(j.gpuMilli(), a.milli());
    }

    /** One GPU; A (600 milli, 100 s), B (400, 50 s), C (500, 10 s), D (a whole GPU, 10 s), all at t = 0. */
    static final List<Job> ONE_GPU = List.of(share(0, 600, 100), share(1, 400, 50), share(2, 500, 10), whole(3, 1, 10));

    @Test
    void fifoSharesTheGpuAndCountsUtilizationAndFragmentationInMilli() {
        SimulationResult r = Simulator.run(ONE_GPU, new ClusterSpec(1, 1, 16), new Fifo(), new ConsolidatePlacement(), 0, null);
        // A and B fill the GPU; C (500) waits: at 50 B leaves 400 free, too little; at 100 A ends, C runs to 110; D (whole) then to 120.
        assertArrayEquals(new double[] {100, 50, 110, 120}, finishes(r), 1e-9);
        Summary s = Summary.of(r, 0);
        // Busy milli-GPU: 0-50 1000, 50-100 600, 100-110 500, 110-120 1000: 95 GPU-s of 120.
        assertEquals(95.0 / 120, s.utilization(), 1e-12);
        // Fragmented: 50-100 the 400 free are below C's 500 (20 GPU-s); 100-110 the 500 beside C are below D's whole GPU (5 GPU-s).
        assertEquals(25.0 / 120, s.fragmentation(), 1e-12);
    }

    @Test
    void sjfStartsSharesAroundAWholeGpuJob() {
        SimulationResult r = Simulator.run(ONE_GPU, new ClusterSpec(1, 1, 16), new Sjf(), new ConsolidatePlacement(), 0, null);
        // C (10 s) starts, D (whole) cannot while C shares the GPU, B (400) joins C; at 10 A (600) joins B and runs to 110; D then.
        assertArrayEquals(new double[] {110, 50, 10, 120}, finishes(r), 1e-9);
    }

    @Test
    void drfAndCapacityScheduleShares() {
        List<Job> jobs = List.of(new Job(0, "a", 0, 1, 100, "x", "t:0", 2, 4, 500), new Job(1, "b", 0, 1, 100, "y", "t:1", 2, 4, 500),
                new Job(2, "c", 0, 1, 100, "x", "t:2", 2, 4, 500), new Job(3, "d", 0, 1, 100, "y", "t:3", 2, 4, 1000));
        ClusterSpec spec = new ClusterSpec(1, 2, 16);
        // DRF (nodes of 8 cores, 64 GiB): shares fill GPU 0 (x, y), x's second share GPU 1, then y's whole GPU waits for a free GPU.
        SimulationResult drf = Simulator.run(jobs, spec, new Drf(8, 64), new ConsolidatePlacement(), 0, null);
        assertArrayEquals(new double[] {100, 100, 100, 200}, finishes(drf), 1e-9);
        // Capacity: x is guaranteed the node (2,000 milli-GPUs) and puts both its shares on GPU 0; y borrows GPU 1 for b, and d waits for a free GPU.
        VirtualClusters vcs = VirtualClusters.parse("x=1");
        SimulationResult cap = Simulator.run(jobs, spec, null, new CapacityScheduler(vcs, spec), new ConsolidatePlacement(), 0, null, vcs);
        assertArrayEquals(new double[] {100, 100, 100, 200}, finishes(cap), 1e-9);
        assertEquals(0, cap.vcViolationPasses());
    }

    @Test
    void policiesThatPlaceWholeGpusThemselvesRefuseSharesNamingTheLine() {
        ClusterSpec spec = new ClusterSpec(2, 4, 16);
        VirtualClusters vcs = VirtualClusters.parse("vc=1");
        Policy hived = new HiveD(vcs, spec);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Simulator.run(List.of(share(0, 300, 10)), spec, null, hived, new ConsolidatePlacement(), 0, null, vcs));
        assertTrue(e.getMessage().contains("test:0") && e.getMessage().contains("300 milli-GPUs") && e.getMessage().contains("hived"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Job(0, "t", 0, 2, 10, "vc", "f:3", 1, 1, 500), "a fraction spans one GPU");
        assertFalse(whole(0, 1, 1).sharesGpu());
    }

    static double[] finishes(SimulationResult r) {
        double[] f = new double[r.jobs().size()];
        for (JobState j : r.jobs()) f[j.job.id()] = j.finish();
        return f;
    }
}
