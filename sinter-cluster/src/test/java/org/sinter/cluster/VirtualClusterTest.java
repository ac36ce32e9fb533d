package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sinter.cluster.metrics.Summary;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.policy.CapacityScheduler;
import org.sinter.cluster.policy.HiveD;
import org.sinter.cluster.policy.Policies;
import org.sinter.cluster.policy.Policy;
import org.sinter.cluster.sim.BuddyCells;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Simulator;
import org.sinter.cluster.trace.Workloads;

/**
 * Lab 6's virtual-cluster scenarios, worked out by hand in the comments: VC safety (a VC's
 * guaranteed cells are always reclaimable), opportunistic jobs on idle cells, and the sharing
 * anomaly of capacity scheduling by GPU count that HiveD's cells remove; and the buddy cells.
 */
class VirtualClusterTest {
    private static final double EXACT = 1e-9;

    /** Jobs from rows of {arrival, gpus, duration} with their VC. */
    private static List<Job> jobs(Object[]... rows) {
        List<Job> jobs = new ArrayList<>();
        for (Object[] r : rows) {
            jobs.add(new Job(jobs.size(), "test", ((Number) r[0]).doubleValue(), ((Number) r[1]).intValue(), ((Number) r[2]).doubleValue(),
                    (String) r[3], "row " + jobs.size()));
        }
        return jobs;
    }

    private static SimulationResult run(List<Job> jobs, String cluster, VirtualClusters vcs, Policy policy) {
        return Simulator.run(jobs, ClusterSpec.parse(cluster), policy, new ConsolidatePlacement(), 0, null, vcs);
    }

    @Test
    void cellsRoundUpAlignAndFillPartlyUsedNodesFirst() {
        BuddyCells c = new BuddyCells(2, 8);
        assertEquals(4, c.cellGpus(3));
        assertEquals(8, c.cellGpus(8));
        assertEquals(16, c.cellGpus(12)); // beyond a node: whole nodes
        BuddyCells.Cell a = c.allocate(3); // a 4-cell at GPUs 0-3 of node 0
        assertArrayEquals(new int[] {0}, a.nodes());
        assertEquals(0b1111, a.mask());
        BuddyCells.Cell b = c.allocate(1); // best fit: node 0's free half splits, node 1 stays whole
        assertArrayEquals(new int[] {0}, b.nodes());
        assertEquals(0b10000, b.mask());
        BuddyCells.Cell d = c.allocate(2); // the 2-cell beside it (GPUs 6-7), not the one that would split 4-7 further
        assertEquals(0b11000000, d.mask());
        assertNull(c.allocate(16), "no two free nodes");
        BuddyCells.Cell whole = c.allocate(8);
        assertArrayEquals(new int[] {1}, whole.nodes());
        c.release(a);
        assertTrue(c.fits(4) && !c.fits(8));
    }

    @Test
    void guaranteedCellsAreAlwaysReclaimable() {
        // 4 nodes of 4; VC a and b are guaranteed 2 nodes each. b fills the cluster at t=0 with four
        // whole-node jobs of 100 s: two on its guarantee, two opportunistic on idle cells. At t=10 a's
        // two-node job arrives and starts at once, preempting b's opportunistic jobs; they resume at
        // t=60, 90 s left: JCT 150. a's job: JCT 50. Capacity scheduling reclaims the same borrowed GPUs.
        List<Job> jobs = jobs(new Object[] {0, 4, 100, "b"}, new Object[] {0, 4, 100, "b"}, new Object[] {0, 4, 100, "b"},
                new Object[] {0, 4, 100, "b"}, new Object[] {10, 8, 50, "a"});
        VirtualClusters vcs = VirtualClusters.parse("a=2,b=2");
        for (Policy p : List.of(new HiveD(vcs, ClusterSpec.parse("4x4")), new CapacityScheduler(vcs, ClusterSpec.parse("4x4")))) {
            SimulationResult r = run(jobs, "4x4", vcs, p);
            assertArrayEquals(new double[] {100, 100, 150, 150, 50}, Scenarios.jcts(r), EXACT, p.name());
            assertEquals(2, Scenarios.preemptions(r), p.name());
            assertEquals(0, r.vcViolationPasses(), p.name());
        }
    }

    @Test
    void capacityByGpuCountStrandsAGuaranteeThatCellsKeep() {
        // 2 nodes of 4; a and b are guaranteed one node each. b starts six 1-GPU jobs at t=0: jobs 0-3
        // on its guarantee (node 0), 4 and 5 on idle node 1; jobs 0-2 end at t=10. b then uses 3 GPUs,
        // within its 4, so none of its jobs is borrowed. a's 4-GPU job arrives at t=20, within a's
        // guarantee. Capacity scheduling: 5 GPUs are free but no node has 4, and nothing is borrowed to
        // preempt: a waits until node 0 empties at t=100 (JCT 90), denied its guarantee for 80 s.
        // HiveD: b's jobs 4 and 5 were opportunistic (b's cell was full); a binds node 1, preempting
        // them, and starts at t=20 (JCT 10); they come back onto b's own node at once (20 s done, 80 left).
        List<Job> jobs = jobs(new Object[] {0, 1, 10, "b"}, new Object[] {0, 1, 10, "b"}, new Object[] {0, 1, 10, "b"},
                new Object[] {0, 1, 100, "b"}, new Object[] {0, 1, 100, "b"}, new Object[] {0, 1, 100, "b"}, new Object[] {20, 4, 10, "a"});
        VirtualClusters vcs = VirtualClusters.parse("a=1,b=1");
        SimulationResult capacity = run(jobs, "2x4", vcs, new CapacityScheduler(vcs, ClusterSpec.parse("2x4")));
        assertArrayEquals(new double[] {10, 10, 10, 100, 100, 100, 90}, Scenarios.jcts(capacity), EXACT);
        assertEquals(80, capacity.vcViolationSeconds(), EXACT);
        SimulationResult hived = run(jobs, "2x4", vcs, new HiveD(vcs, ClusterSpec.parse("2x4")));
        assertArrayEquals(new double[] {10, 10, 10, 100, 100, 100, 10}, Scenarios.jcts(hived), EXACT);
        assertEquals(2, Scenarios.preemptions(hived));
        assertEquals(0, hived.vcViolationSeconds(), EXACT);
    }

    @Test
    void jobsOfAVcWithoutGuaranteeRunOnIdleCellsAndYield() {
        // VC a owns both nodes; x owns nothing. x's 4-GPU job runs at once on idle cells (t=0); a's
        // 8-GPU job at t=5 takes both nodes back; x's job resumes at t=25 with 15 s left: JCT 40.
        List<Job> jobs = jobs(new Object[] {0, 4, 20, "x"}, new Object[] {5, 8, 20, "a"});
        VirtualClusters vcs = VirtualClusters.parse("a=2");
        SimulationResult r = run(jobs, "2x4", vcs, new HiveD(vcs, ClusterSpec.parse("2x4")));
        assertArrayEquals(new double[] {40, 20}, Scenarios.jcts(r), EXACT);
        assertEquals(0, r.vcViolationPasses());
    }

    @Test
    void onAManyTeamWorkloadHivedNeverDeniesAGuaranteeAndCapacitySchedulingDoes() throws Exception {
        // Gavel's msr traces (one VC per file) when the shared data is here, else four generated teams.
        ClusterSpec spec = ClusterSpec.parse("32x4");
        List<Job> jobs;
        Path msr = TestData.traces().map(t -> t.resolve("gavel-msr-seed0")).filter(Files::isDirectory).orElse(null);
        if (msr != null) {
            jobs = Workloads.load(msr.toString(), spec, new Workloads.Options(1, 0, 3000, "v100")).jobs();
        } else {
            Random rnd = new Random(3);
            jobs = new ArrayList<>();
            int[] sizes = {1, 1, 1, 2, 4, 4, 8};
            double t = 0;
            for (int i = 0; i < 3000; i++) {
                t += -Math.log(1 - rnd.nextDouble()) * 40;
                jobs.add(new Job(i, "gen", t, sizes[rnd.nextInt(sizes.length)], 600 + rnd.nextDouble() * 7200, "team" + rnd.nextInt(4), "gen " + i));
            }
        }
        VirtualClusters vcs = VirtualClusters.proportional(jobs, spec);
        Summary capacity = Summary.of(Simulator.run(jobs, spec, new CapacityScheduler(vcs, spec), new ConsolidatePlacement(), 0, null, vcs), 0);
        Summary hived = Summary.of(Simulator.run(jobs, spec, new HiveD(vcs, spec), new ConsolidatePlacement(), 0, null, vcs), 0);
        String numbers = "VC-hours denied: capacity %.2f (%d passes), hived %.2f (%d passes)".formatted(capacity.vcViolationHours(),
                capacity.vcViolationPasses(), hived.vcViolationHours(), hived.vcViolationPasses());
        assertEquals(0, hived.vcViolationPasses(), numbers);
        assertTrue(capacity.vcViolationPasses() > 0, numbers);
    }

    @Test
    void guaranteesMustFitAndThePoliciesNeedThem() {
        var e = assertThrows(IllegalArgumentException.class, () -> new HiveD(VirtualClusters.parse("a=3,b=2"), ClusterSpec.parse("4x4")));
        assertTrue(e.getMessage().contains("5 nodes") && e.getMessage().contains("has 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Policies.of("hived"));
        assertTrue(e.getMessage().contains("--vcs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VirtualClusters.parse("a=2,b"));
        assertTrue(e.getMessage().contains("name=nodes"), e.getMessage());
        VirtualClusters auto = VirtualClusters.proportional(jobs(new Object[] {0, 1, 300, "a"}, new Object[] {0, 1, 100, "b"}), ClusterSpec.parse("4x4"));
        assertEquals(3, auto.nodesOf("a"));
        assertEquals(1, auto.nodesOf("b"));
    }
}
