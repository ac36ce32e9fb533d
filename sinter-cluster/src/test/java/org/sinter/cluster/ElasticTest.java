package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.policy.Elastic;
import org.sinter.cluster.policy.Fifo;
import org.sinter.cluster.policy.Policy;
import org.sinter.cluster.policy.Sjf;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Simulator;
import org.sinter.cluster.trace.SyntheticTrace;

/** The elastic policy and the simulator's resizing: sizes, speeds by the scaling curve, and the JCT it saves. */
class ElasticTest {
    private static final double EXACT = 1e-9;

    private static Job elastic(int id, double arrival, int gpus, double duration, int min, int max, double efficiency) {
        return new Job(id, "test", arrival, gpus, duration, "vc", "row " + id).withTraits(JobTraits.DEFAULT.withGpuRange(min, max).withScalingEfficiency(efficiency));
    }

    @Test
    void aLoneJobRunsOnItsMaximumAtTheSpeedOfItsCurve() {
        // 100 s on 1 GPU; on 4 at efficiency 1: 25 s; at 0.5 it runs 1 + 0.5 * 3 = 2.5 times as fast: 40 s.
        assertArrayEquals(new double[] {25}, Scenarios.jcts(Scenarios.run(List.of(elastic(0, 0, 1, 100, 1, 4, 1)), "1x4", new Elastic(0))), EXACT);
        assertArrayEquals(new double[] {40}, Scenarios.jcts(Scenarios.run(List.of(elastic(0, 0, 1, 100, 1, 4, 0.5)), "1x4", new Elastic(0))), EXACT);
        assertTrue(org.sinter.cluster.policy.Policies.of("elastic") instanceof Elastic, "--policy elastic");
        // A rigid policy runs it on its own count.
        assertArrayEquals(new double[] {100}, Scenarios.jcts(Scenarios.run(List.of(elastic(0, 0, 1, 100, 1, 4, 1)), "1x4", new Fifo())), EXACT);
    }

    @Test
    void shrinksToAdmitAWaitingJobAndGrowsBack() {
        // One node of 4. A (elastic 2..4, 100 s on 4) starts on 4. B (rigid, 2 GPUs, 10 s) arrives at t=10:
        // A shrinks to 2 (90 s of work left on 4 take 180 on 2), B runs 10-20; A has done 5 more of its
        // 4-GPU seconds, grows back to 4 and ends at 20 + 85 = 105. FIFO: B waits for A (JCT 100).
        List<Job> jobs = List.of(elastic(0, 0, 4, 100, 2, 4, 1), new Job(1, "test", 10, 2, 10, "vc", "row 1"));
        Elastic policy = new Elastic(0);
        SimulationResult r = Scenarios.run(jobs, "1x4", policy);
        assertArrayEquals(new double[] {105, 10}, Scenarios.jcts(r), EXACT);
        assertEquals(2, policy.resizes());
        assertEquals(0, Scenarios.preemptions(r), "a resize is not a preemption");
        assertArrayEquals(new double[] {100, 100}, Scenarios.jcts(Scenarios.run(jobs, "1x4", new Fifo())), EXACT);
    }

    @Test
    void growsOnlyWhenThatSavesMoreThanAResizeCosts() {
        // A (elastic 2..4, 100 s on 4) shrinks for B at t=10 and, with 85 s of work left when B ends, would save
        // 85 s by growing back: with a rescale cost of 100 s it stays on 2 and ends at 20 + 170 = 190.
        List<Job> jobs = List.of(elastic(0, 0, 4, 100, 2, 4, 1), new Job(1, "test", 10, 2, 10, "vc", "row 1"));
        Elastic policy = new Elastic(100);
        assertArrayEquals(new double[] {190, 10}, Scenarios.jcts(Scenarios.run(jobs, "1x4", policy)), EXACT);
        assertEquals(1, policy.resizes());
    }

    @Test
    void sizesOutsideTheRangeAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> elastic(0, 0, 8, 100, 1, 4, 1));
        assertTrue(e.getMessage().contains("row 0") && e.getMessage().contains("1..4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> elastic(0, 0, 1, 100, 1, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new Job(0, "t", 0, 1, 1, "vc", "row 0").withGpus(2));
    }

    private static double meanJct(List<Job> jobs, String cluster, Policy policy, double restartPenalty) {
        SimulationResult r = Simulator.run(jobs, ClusterSpec.parse(cluster), policy, new ConsolidatePlacement(), restartPenalty, null);
        return r.jobs().stream().mapToDouble(j -> j.finish() - j.job.arrival()).average().orElseThrow();
    }

    @Test
    void lowersAverageJctAgainstFifoAndSjfOnASyntheticTraceOfElasticJobs() {
        // 600 generated jobs (Philly-like durations and sizes) on 8 nodes of 8 at offered load 0.9, all
        // elastic (half to four times their size, 90% scaling efficiency); every resize costs 30 s.
        List<Job> jobs = SyntheticTrace.withTraits(SyntheticTrace.generate(600, 64, 16, 0.9, 7), new SyntheticTrace.TraitMix(1, 0, 0, 0), 16, 7);
        assertTrue(jobs.stream().allMatch(Job::elastic));
        double fifo = meanJct(jobs, "8x8", new Fifo(), 30), sjf = meanJct(jobs, "8x8", new Sjf(), 30), elastic = meanJct(jobs, "8x8", new Elastic(60), 30);
        System.out.printf("mean JCT on 600 elastic jobs: fifo %.0f s, sjf %.0f s, elastic %.0f s%n", fifo, sjf, elastic);
        assertTrue(elastic < sjf && sjf < fifo, "elastic " + elastic + " sjf " + sjf + " fifo " + fifo);
    }
}
