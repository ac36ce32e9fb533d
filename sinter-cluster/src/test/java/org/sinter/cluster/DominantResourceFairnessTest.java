package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.policy.DominantResourceFairness;
import org.sinter.cluster.policy.Drf;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Simulator;

class DominantResourceFairnessTest {
    @Test
    void ghodsisTwoUserExample() {
        // Ghodsi et al., NSDI'11, section 4: 9 CPUs and 18 GB; user A's tasks need <1 CPU, 4 GB>, B's <3 CPUs, 1 GB>.
        // DRF gives A three tasks (3 CPUs, 12 GB: dominant share 2/3 of memory) and B two (6 CPUs, 2 GB: 2/3 of CPUs).
        int[] tasks = DominantResourceFairness.progressiveFilling(new double[] {9, 18}, new double[][] {{1, 4}, {3, 1}});
        assertArrayEquals(new int[] {3, 2}, tasks);
        assertEquals(2.0 / 3, DominantResourceFairness.dominantShare(new double[] {3, 12}, new double[] {9, 18}), 1e-12);
        assertEquals(2.0 / 3, DominantResourceFairness.dominantShare(new double[] {6, 2}, new double[] {9, 18}), 1e-12);
    }

    @Test
    void aUserWithoutDemandIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> DominantResourceFairness.progressiveFilling(new double[] {1, 1}, new double[][] {{0, 0}}));
        assertThrows(IllegalArgumentException.class, () -> DominantResourceFairness.progressiveFilling(new double[] {1, 1}, new double[][] {{1}}));
    }

    static List<Job> twoUsers(int each) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            jobs.add(new Job(jobs.size(), "a", 0, 1, 100, "A", "A" + i, 1, 4));
            jobs.add(new Job(jobs.size(), "b", 0, 1, 100, "B", "B" + i, 3, 1));
        }
        return jobs;
    }

    @Test
    void theSimulatorsDrfPolicyReachesTheSameSplitOnANode() {
        // the same example as jobs on one node of 10 GPUs, 9 cores and 18 GiB, each job 1 GPU: GPUs are not the
        // bottleneck, so the first pass starts exactly A's 3 and B's 2 jobs; later passes repeat the split
        SimulationResult r = Simulator.run(twoUsers(10), ClusterSpec.parse("1x10"), new Drf(9, 18), new ConsolidatePlacement(), 0, null);
        int a = 0, b = 0;
        for (JobState j : r.jobs()) {
            if (j.firstStart() == 0) {
                if (j.job.vc().equals("A")) a++; else b++;
            }
        }
        assertEquals(3, a);
        assertEquals(2, b);
        // 10 A jobs at 3 per 100 s and 10 B jobs at 2 per 100 s, but B is short of CPUs only while A holds memory:
        // every job still completes, none preempted
        assertEquals(20, r.jobs().size());
        for (JobState j : r.jobs()) assertTrue(j.finish() > 0 && j.preemptions() == 0);
    }

    @Test
    void aJobThatCanNeverGetItsCpusNamesItself() {
        List<Job> jobs = List.of(new Job(0, "x", 0, 1, 10, "A", "trace.csv:7", 20, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Simulator.run(jobs, ClusterSpec.parse("1x10"), new Drf(9, 18), new ConsolidatePlacement(), 0, null));
        assertTrue(e.getMessage().contains("trace.csv:7") && e.getMessage().contains("can never run"), e.getMessage());
    }

    @Test
    void jobsCarryCpuAndMemoryDemandsDerivedFromTheirGpus() {
        Job j = new Job(0, "x", 0, 4, 10, "vc", "o");
        assertEquals(4 * Job.DEFAULT_CPUS_PER_GPU, j.cpus());
        assertEquals(4 * Job.DEFAULT_MEMORY_GIB_PER_GPU, j.memoryGib());
        assertThrows(IllegalArgumentException.class, () -> new Job(0, "x", 0, 1, 10, "vc", "o", -1, 1));
    }
}
