package org.sinter.cluster.hetero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.cluster.trace.TraceFormatException;

class HeteroSimulatorTest {
    static HeteroJob job(int id, double arrival, int gpus, double steps, double... throughput) {
        return new HeteroJob(id, "t" + id, arrival, gpus, steps, throughput, "vc", "test:" + id);
    }

    @Test
    void roundsAlternateJobsByReceivedTimeAsWorkedOutByHand() {
        // one GPU, two 720-step jobs at 1 step/s, X = (1/2, 1/2), 360 s rounds: job 0 runs [0, 360), job 1
        // (never run: first) [360, 720), then both have had half their time and the tie goes to job 0,
        // which finishes at 1080; job 1 alone finishes at 1440
        GpuMix mix = new GpuMix(List.of("a"), new int[] {1});
        HeteroResult r = HeteroSimulator.run(List.of(job(0, 0, 1, 720, 1), job(1, 0, 1, 720, 1)), mix, new MaxMinFairnessPolicy(false), 360, null);
        assertEquals(1080, r.jct(r.jobs().get(0)), 1e-9);
        assertEquals(1440, r.jct(r.jobs().get(1)), 1e-9);
        assertEquals(4, r.rounds());
        assertEquals(2, r.solves());
        assertEquals(1440, r.end() - r.start(), 1e-9);
    }

    @Test
    void gavelPutsEachJobWhereItRunsFastest() {
        // job 0: 4 steps/s on A, 1 on B; job 1: 2 on both; 14,400 steps each. Gavel: job 0 on A (3,600 s),
        // job 1 on B (7,200 s), every round. A round is an hour so each finishes in its first or second round.
        GpuMix mix = new GpuMix(List.of("a", "b"), new int[] {1, 1});
        List<HeteroJob> jobs = List.of(job(0, 0, 1, 14_400, 4, 1), job(1, 0, 1, 14_400, 2, 2));
        HeteroResult gavel = HeteroSimulator.run(jobs, mix, new MaxMinFairnessPolicy(true), 3600, null);
        assertEquals(3600, gavel.jct(gavel.jobs().get(0)), 1e-9);
        assertEquals(7200, gavel.jct(gavel.jobs().get(1)), 1e-9);
        assertEquals(3600, gavel.jobs().get(0).secondsOn(0), 1e-9); // all of job 0's time on A
        assertEquals(0, gavel.jobs().get(0).secondsOn(1), 1e-9);
        // FIFO that picks the fastest free type gets the same here; Gavel never does worse than the
        // agnostic max-min on this pair
        HeteroResult agnostic = HeteroSimulator.run(jobs, mix, new MaxMinFairnessPolicy(false), 3600, null);
        double gavelSum = gavel.jct(gavel.jobs().get(0)) + gavel.jct(gavel.jobs().get(1));
        assertTrue(gavelSum <= agnostic.jct(agnostic.jobs().get(0)) + agnostic.jct(agnostic.jobs().get(1)) + 1e-9);
    }

    @Test
    void fifoNeverPreemptsAndKeepsArrivalOrder() {
        // one GPU: job 0 (arrives 0, 1,000 s) runs to the end; job 1 (arrives 10) starts at the next
        // boundary after it, 1,080 (rounds of 360), and runs 100 s
        GpuMix mix = new GpuMix(List.of("a"), new int[] {1});
        HeteroResult r = HeteroSimulator.run(List.of(job(0, 0, 1, 1000, 1), job(1, 10, 1, 100, 1)), mix, new HeteroFifo(false, 0), 360, null);
        assertEquals(1000, r.jct(r.jobs().get(0)), 1e-9);
        assertEquals(1080 + 100 - 10, r.jct(r.jobs().get(1)), 1e-9);
    }

    @Test
    void finishTimeFairnessOfAJobAloneIsTheRatioToItsEqualShareTime() {
        // alone on A=1 (2 steps/s), B=1 (1 step/s): the equal-share throughput is 1.5 steps/s; Gavel runs it on A:
        // 720 steps in 360 s against 480 s on its share: rho = 0.75
        GpuMix mix = new GpuMix(List.of("a", "b"), new int[] {1, 1});
        HeteroResult r = HeteroSimulator.run(List.of(job(0, 0, 1, 720, 2, 1)), mix, new MaxMinFairnessPolicy(true), 360, null);
        assertEquals(0.75, r.finishTimeFairness(r.jobs().get(0)), 1e-9);
    }

    @Test
    void runsAreDeterministicPerSeed() {
        GpuMix mix = new GpuMix(List.of("a", "b", "c"), new int[] {4, 4, 4});
        java.util.Random random = new java.util.Random(11);
        java.util.List<HeteroJob> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) jobs.add(job(i, i * 200.0, 1 << random.nextInt(3), 2000 + random.nextInt(20_000), 3 + random.nextDouble(), 2, 1));
        for (String name : HeteroPolicies.NAMES) {
            HeteroSummary a = HeteroSummary.of(HeteroSimulator.run(jobs, mix, HeteroPolicies.of(name, 5), 360, null), 0);
            HeteroSummary b = HeteroSummary.of(HeteroSimulator.run(jobs, mix, HeteroPolicies.of(name, 5), 360, null), 0);
            assertEquals(a, b, name);
        }
    }

    @Test
    void readsGavelTracesForEveryTypeAndNamesTheLineOfAJobTooLarge(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("simulation_throughputs.json"), """
                {"v100": {"('ResNet-18', 1)": {"null": 10.0}, "('ResNet-18', 2)": {"null": 18.0}},
                 "p100": {"('ResNet-18', 1)": {"null": 5.0}, "('ResNet-18', 2)": {"null": 9.0}},
                 "k80":  {"('ResNet-18', 1)": {"null": 2.0}, "('ResNet-18', 2)": {"null": 3.0}}}
                """);
        Path trace = dir.resolve("vc1.trace");
        Files.writeString(trace, "ResNet-18\tpython3 main.py\t--num_steps\t1\t1000\t0.0\t1\nResNet-18\tpython3 main.py\t--num_steps\t1\t900\t30.0\t2\n");
        HeteroTrace.Loaded l = HeteroTrace.read(trace, GpuMix.parse("2:2:2"), Integer.MAX_VALUE);
        assertEquals(2, l.jobs().size());
        assertEquals(10, l.jobs().get(0).throughput()[0]);
        assertEquals(3, l.jobs().get(1).throughput()[2]);
        assertEquals("vc1", l.jobs().get(1).vc());
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> HeteroTrace.read(trace, GpuMix.parse("1:1:1"), Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("vc1.trace:2") && e.getMessage().contains("largest pool has 1"), e.getMessage());
    }

    @Test
    void parsesGpuMixes() {
        assertEquals(List.of("v100", "p100", "k80"), GpuMix.parse("36:36:36").types());
        assertEquals(108, GpuMix.parse("36:36:36").total());
        assertEquals(2, GpuMix.parse("v100=4,k80=8").typeCount());
        assertThrows(IllegalArgumentException.class, () -> GpuMix.parse("36:36"));
        assertThrows(IllegalArgumentException.class, () -> GpuMix.parse("0:0:0"));
        assertThrows(IllegalArgumentException.class, () -> GpuMix.parse("a:b:c"));
    }
}
