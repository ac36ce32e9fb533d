package org.sinter.cluster.hetero;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.cluster.trace.TraceFormatException;

class SpaceSharingTest {
    /** A job of kind {@code type}: 1 step/s alone on the one GPU type, {@code beside} steps/s next to a job of {@code partner}. */
    static HeteroJob job(int id, String type, double steps, String partner, double beside) {
        return new HeteroJob(id, type, 0, 1, steps, new double[] {1}, "vc", "test:" + id, Map.of(partner, new double[] {beside}));
    }

    @Test
    void twoJobsThatInterfereLittleShareTheGpuAllTheTime() {
        // one GPU; two jobs that each keep 75% of their speed when they share it: alone max-min gives
        // each half the GPU (share 0.5); sharing gives each 0.75 of its alone rate all the time
        GpuMix mix = new GpuMix(List.of("a"), new int[] {1});
        List<HeteroJob> jobs = List.of(job(0, "x", 720, "y", 0.75), job(1, "y", 720, "x", 0.75));
        PackedMaxMinFairness.Result r = new PackedMaxMinFairness().allocate(jobs, mix);
        assertEquals(0.75, r.minShare(), 1e-6);
        assertEquals(1, r.pairsOffered());
        assertArrayEquals(new double[] {1}, r.with().get(r.classOf()[0]).get(r.classOf()[1]), 1e-6);
        assertArrayEquals(new double[] {0}, r.alone()[r.classOf()[0]], 1e-6);
        // in rounds of 360 s each advances 270 steps a round: done at 720 / 0.75 = 960 s, both
        HeteroResult packed = HeteroSimulator.run(jobs, mix, new PackedMaxMinFairnessPolicy(), 360, null);
        assertEquals(960, packed.jct(packed.jobs().get(0)), 1e-9);
        assertEquals(960, packed.jct(packed.jobs().get(1)), 1e-9);
        assertEquals(1.0, packed.sharedShare(), 1e-12);
        assertEquals(960, packed.busyGpuSeconds(), 1e-9); // the shared GPU counts once
        // without sharing they alternate: 1,080 and 1,440 s (HeteroSimulatorTest works it out)
        HeteroResult alone = HeteroSimulator.run(jobs, mix, new MaxMinFairnessPolicy(true), 360, null);
        assertEquals(1080 + 1440, alone.jct(alone.jobs().get(0)) + alone.jct(alone.jobs().get(1)), 1e-9);
    }

    @Test
    void aPairThatSlowsBothMoreThanTimeSlicingIsNeverOffered() {
        // 0.4 + 0.5 of their alone speeds: time-slicing does better, so no pair enters the program and
        // the allocation is plain max-min (half the GPU each)
        GpuMix mix = new GpuMix(List.of("a"), new int[] {1});
        List<HeteroJob> jobs = List.of(job(0, "x", 720, "y", 0.4), job(1, "y", 720, "x", 0.5));
        PackedMaxMinFairness.Result r = new PackedMaxMinFairness().allocate(jobs, mix);
        assertEquals(0, r.pairsOffered());
        assertEquals(0.5, r.minShare(), 1e-6);
        HeteroResult packed = HeteroSimulator.run(jobs, mix, new PackedMaxMinFairnessPolicy(), 360, null);
        assertEquals(0, packed.sharedShare());
        assertEquals(1080 + 1440, packed.jct(packed.jobs().get(0)) + packed.jct(packed.jobs().get(1)), 1e-9);
    }

    @Test
    void packingNeverLowersTheFairShareAndAlwaysFits() {
        // random instances of a few job kinds on 3 types: the packed optimum's smallest share is at least
        // the unpacked one's (alone is still allowed); every round fits and pairs are well formed (the
        // simulator checks), and all jobs finish
        Random random = new Random(5);
        GpuMix mix = new GpuMix(List.of("v100", "p100", "k80"), new int[] {4, 4, 4});
        String[] kinds = {"a", "b", "c", "d"};
        for (int trial = 0; trial < 10; trial++) {
            double[][] alone = new double[kinds.length][];
            for (int k = 0; k < kinds.length; k++) {
                double k80 = 0.5 + random.nextDouble();
                alone[k] = new double[] {k80 * (1 + 4 * random.nextDouble()), k80 * (1 + 2 * random.nextDouble()), k80};
            }
            List<Map<String, double[]>> beside = new ArrayList<>();
            for (int k = 0; k < kinds.length; k++) {
                java.util.HashMap<String, double[]> m = new java.util.HashMap<>();
                for (int l = 0; l < kinds.length; l++) {
                    double[] r = new double[3];
                    for (int t = 0; t < 3; t++) r[t] = alone[k][t] * (0.3 + 0.6 * random.nextDouble());
                    m.put(kinds[l], r);
                }
                beside.add(m);
            }
            List<HeteroJob> jobs = new ArrayList<>();
            int n = 4 + random.nextInt(16);
            for (int j = 0; j < n; j++) {
                int k = random.nextInt(kinds.length);
                jobs.add(new HeteroJob(j, kinds[k], 360.0 * random.nextInt(20), 1, 2000 + random.nextInt(20000), alone[k], "vc", "test:" + j, beside.get(k)));
            }
            PackedMaxMinFairness.Result packed = new PackedMaxMinFairness().allocate(jobs, mix);
            MaxMinFairness.Result plain = new MaxMinFairness(true).allocate(jobs, mix);
            assertTrue(packed.minShare() >= plain.minShare() * (1 - 2e-3) - 1e-9, "trial " + trial + ": packed " + packed.minShare() + " < alone " + plain.minShare());
            HeteroResult r = HeteroSimulator.run(jobs, mix, new PackedMaxMinFairnessPolicy(), 360, null);
            assertEquals(n, r.jobs().size());
        }
    }

    @Test
    void readsGavelsPairThroughputsBesideTheTrace(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("simulation_throughputs.json"), """
                {"v100": {"('A', 1)": {"null": 10.0, "('B', 1)": [6.0, 3.0]}, "('B', 1)": {"null": 4.0, "('A', 1)": [3.0, 6.0]}},
                 "k80":  {"('A', 1)": {"null": 2.0}, "('B', 1)": {"null": 1.0}}}
                """);
        Path trace = dir.resolve("vc1.trace");
        Files.writeString(trace, "A\tpython3 a.py\t--num_steps\t1\t1000\t0.0\t1\nB\tpython3 b.py\t--num_steps\t1\t900\t30.0\t1\n");
        HeteroTrace.Loaded l = HeteroTrace.read(trace, GpuMix.parse("v100=1,k80=1"), Integer.MAX_VALUE);
        HeteroJob a = l.jobs().get(0), b = l.jobs().get(1);
        assertEquals(6.0, a.colocatedThroughput("B", 0));
        assertEquals(3.0, b.colocatedThroughput("A", 0));
        assertEquals(0.0, a.colocatedThroughput("B", 1)); // not measured on k80: never packed there
        assertEquals(0.0, a.colocatedThroughput("A", 0));
        Files.writeString(dir.resolve("simulation_throughputs.json"), """
                {"v100": {"('A', 1)": {"null": 10.0, "('B', 1)": 6.0}, "('B', 1)": {"null": 4.0}}}
                """);
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> HeteroTrace.read(trace, GpuMix.parse("v100=2"), Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("('B', 1)") && e.getMessage().contains("pair of numbers"), e.getMessage());
    }
}
