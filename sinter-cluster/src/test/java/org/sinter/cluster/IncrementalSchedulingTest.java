package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.policy.HiveD;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Simulator;

/**
 * Lab 6's incremental-scheduling scenario (HiveD's feature demo "Incremental Scheduling"): a job whose
 * pods sit in separate affinity groups is scheduled one group at a time, so it runs partly even when its
 * whole request is larger than its VC's quota or than the free GPUs; the same pods as one gang wait for
 * all of them. Here a pod group is a job of the simulator, and the job's pods are several jobs.
 *
 * <p>Two nodes of 4 GPUs; VC a and VC b are guaranteed one node each. At t=0 b starts a 4-GPU job of
 * 1,000 s (its node). At t=10 a submits 6 GPUs of work, each GPU-pod running 500 s:
 * <ul>
 *   <li>as one gang of 6 GPUs: larger than a's cells, so it can only run opportunistically, and only 4
 *       GPUs are free until b's job ends: it starts at 1,000 and ends at 1,500 (JCT 1,490);</li>
 *   <li>incrementally, as 6 one-GPU pods: 4 start at once in a's cells (ending at 510); the other 2
 *       find a's cells full and no idle cell elsewhere, wait, and start at 510 on a's freed cells,
 *       ending at 1,010: the whole job is done 490 s sooner, and 4 of its 6 pods run from the start.</li>
 * </ul>
 */
class IncrementalSchedulingTest {
    private static final double EXACT = 1e-9;

    private static SimulationResult run(List<Job> jobs) {
        VirtualClusters vcs = VirtualClusters.parse("a=1,b=1");
        return Simulator.run(jobs, ClusterSpec.parse("2x4"), new HiveD(vcs, ClusterSpec.parse("2x4")), new ConsolidatePlacement(), 0, null, vcs);
    }

    @Test
    void aGangWaitsForAllItsGpus() {
        List<Job> jobs = List.of(new Job(0, "b-job", 0, 4, 1000, "b", "b"), new Job(1, "a-gang", 10, 6, 500, "a", "a gang"));
        SimulationResult r = run(jobs);
        assertArrayEquals(new double[] {1000, 1490}, Scenarios.jcts(r), EXACT);
        assertEquals(1000, r.jobs().get(1).firstStart(), EXACT);
    }

    @Test
    void podsInSeparateAffinityGroupsRunPartlyAtOnce() {
        List<Job> jobs = new ArrayList<>();
        jobs.add(new Job(0, "b-job", 0, 4, 1000, "b", "b"));
        for (int pod = 0; pod < 6; pod++) jobs.add(new Job(jobs.size(), "a-elastic", 10, 1, 500, "a", "a pod " + pod));
        SimulationResult r = run(jobs);
        int startedAtOnce = 0;
        double lastEnd = 0;
        for (JobState j : r.jobs()) {
            if (!j.job.vc().equals("a")) continue;
            if (j.firstStart() == 10) startedAtOnce++;
            else assertEquals(510, j.firstStart(), EXACT, "the other pods wait for a's own cells");
            lastEnd = Math.max(lastEnd, j.finish());
            assertEquals(0, j.preemptions());
        }
        assertEquals(4, startedAtOnce);
        assertEquals(1010, lastEnd, EXACT);
        assertEquals(1000, Scenarios.jcts(r)[0], EXACT, "b's guaranteed job is untouched");
    }
}
