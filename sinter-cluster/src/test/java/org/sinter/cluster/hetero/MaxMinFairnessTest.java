package org.sinter.cluster.hetero;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaxMinFairnessTest {
    static HeteroJob job(int id, int gpus, double steps, double... throughput) {
        return new HeteroJob(id, "t" + id, 0, gpus, steps, throughput, "vc", "test:" + id);
    }

    @Test
    void sharesOneTypeByGangSizeAsGavelDoes() {
        // 2 GPUs, jobs of 1, 1 and 2 GPUs, agnostic: maximize min g·x with x1 + x2 + 2·x3 <= 2:
        // t = 2/3, x = (2/3, 2/3, 1/3) (a 1-GPU job gets twice the time of a 2-GPU one)
        GpuMix mix = new GpuMix(List.of("a"), new int[] {2});
        MaxMinFairness.Result r = new MaxMinFairness(false).allocate(List.of(job(0, 1, 1, 1), job(1, 1, 1, 1), job(2, 2, 1, 1)), mix);
        assertEquals(2.0 / 3, r.minShare(), 1e-6);
        assertEquals(2.0 / 3, r.x()[0][0], 1e-6);
        assertEquals(2.0 / 3, r.x()[1][0], 1e-6);
        assertEquals(1.0 / 3, r.x()[2][0], 1e-6);
    }

    @Test
    void heterogeneityAwareGivesTheFastTypeToTheJobItSpeedsUp() {
        // job 0 runs 4x faster on A than on B, job 1 the same on both: normalised by the equal share,
        // c0 = (1.6, 0.4), c1 = (1, 1); the fair optimum (t = 1) with leftover going by effective
        // throughput puts job 0 on A and job 1 on B all the time
        GpuMix mix = new GpuMix(List.of("a", "b"), new int[] {1, 1});
        MaxMinFairness.Result r = new MaxMinFairness(true).allocate(List.of(job(0, 1, 1, 4, 1), job(1, 1, 1, 2, 2)), mix);
        assertEquals(1, r.minShare(), 1e-6);
        assertArrayEquals(new double[] {1, 0}, r.x()[0], 1e-6);
        assertArrayEquals(new double[] {0, 1}, r.x()[1], 1e-6);
    }

    @Test
    void allocationsFitAndTheSecondaryTermCostsAlmostNothing() {
        Random random = new Random(3);
        GpuMix mix = new GpuMix(List.of("v100", "p100", "k80"), new int[] {8, 8, 8});
        for (int trial = 0; trial < 20; trial++) {
            List<HeteroJob> jobs = new ArrayList<>();
            int n = 2 + random.nextInt(30);
            for (int j = 0; j < n; j++) {
                double k80 = 0.5 + random.nextDouble();
                jobs.add(job(j, 1 << random.nextInt(3), 100, k80 * (1 + 5 * random.nextDouble()), k80 * (1 + 2 * random.nextDouble()), k80));
            }
            for (boolean aware : new boolean[] {true, false}) {
                MaxMinFairness policy = new MaxMinFairness(aware);
                MaxMinFairness.Result r = policy.allocate(jobs, mix);
                double[][] c = policy.coefficients(jobs, mix);
                double[] used = new double[3];
                double smallest = Double.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    double row = 0, share = 0;
                    for (int m = 0; m < 3; m++) {
                        assertTrue(r.x()[j][m] >= 0);
                        row += r.x()[j][m];
                        used[m] += jobs.get(j).gpus() * r.x()[j][m];
                        share += c[j][m] * r.x()[j][m];
                    }
                    assertTrue(row <= 1 + 1e-9, "a job's time shares sum to at most 1");
                    smallest = Math.min(smallest, share);
                }
                for (int m = 0; m < 3; m++) assertTrue(used[m] <= mix.counts()[m] + 1e-7, "type " + m + " over capacity");
                // the pure max-min optimum: the same program without the secondary term
                double pure = pureMaxMin(c, jobs, mix);
                assertTrue(smallest >= pure * (1 - 1e-3) - 1e-9, "trial " + trial + ": min share " + smallest + " vs pure optimum " + pure);
            }
        }
    }

    @Test
    void classesOfIdenticalJobsSolveTheSameProgramAsOneVariablePerJob() {
        // many copies of a few job kinds (as a trace has: job type x gang size): the program over
        // classes must reach the per-job program's optimum (same objective, same smallest share),
        // with every job of a class given the same time shares
        Random random = new Random(11);
        GpuMix mix = new GpuMix(List.of("v100", "p100", "k80"), new int[] {6, 5, 4});
        for (int trial = 0; trial < 15; trial++) {
            int kinds = 1 + random.nextInt(5);
            double[][] rates = new double[kinds][];
            int[] gangs = new int[kinds];
            for (int k = 0; k < kinds; k++) {
                double k80 = 0.5 + random.nextDouble();
                rates[k] = new double[] {k80 * (1 + 5 * random.nextDouble()), k80 * (1 + 2 * random.nextDouble()), k80};
                gangs[k] = 1 << random.nextInt(3);
            }
            List<HeteroJob> jobs = new ArrayList<>();
            int n = 3 + random.nextInt(25);
            for (int j = 0; j < n; j++) {
                int k = random.nextInt(kinds);
                jobs.add(job(j, gangs[k], 100, rates[k]));
            }
            for (boolean aware : new boolean[] {true, false}) {
                MaxMinFairness policy = new MaxMinFairness(aware);
                MaxMinFairness.Result r = policy.allocate(jobs, mix);
                assertTrue(r.classes() <= kinds, "at most one class per job kind");
                double[][] c = policy.coefficients(jobs, mix);
                double[] perJob = perJobProgram(c, jobs, mix);
                double smallest = Double.POSITIVE_INFINITY, shares = 0;
                for (int j = 0; j < n; j++) {
                    double share = 0;
                    for (int m = 0; m < 3; m++) share += c[j][m] * r.x()[j][m];
                    smallest = Math.min(smallest, share);
                    shares += share;
                    for (int i = 0; i < j; i++) {
                        if (jobs.get(i).gpus() == jobs.get(j).gpus() && java.util.Arrays.equals(c[i], c[j])) assertArrayEquals(r.x()[i], r.x()[j], 1e-12);
                    }
                }
                double objective = smallest + 1e-3 / n * shares;
                assertEquals(perJob[0], objective, 1e-7 * Math.max(1, perJob[0]), "trial " + trial + ": objective over classes vs per job");
                assertEquals(perJob[1], r.minShare(), 1e-6, "trial " + trial + ": smallest share over classes vs per job");
            }
        }
    }

    /** The program with one variable per job and type, as Gavel writes it: {objective, smallest share}. */
    private static double[] perJobProgram(double[][] c, List<HeteroJob> jobs, GpuMix mix) {
        int n = jobs.size(), types = mix.typeCount(), vars = n * types + 1;
        double[][] a = new double[2 * n + types][vars];
        double[] b = new double[2 * n + types];
        double[] obj = new double[vars];
        obj[vars - 1] = 1;
        for (int j = 0; j < n; j++) {
            a[j][vars - 1] = 1;
            for (int m = 0; m < types; m++) {
                a[j][j * types + m] = -c[j][m];
                obj[j * types + m] = 1e-3 / n * c[j][m];
                a[n + j][j * types + m] = c[j][m] > 0 ? 1 : 0;
                a[2 * n + m][j * types + m] = c[j][m] > 0 ? jobs.get(j).gpus() : 0;
            }
            b[n + j] = 1;
        }
        for (int m = 0; m < types; m++) b[2 * n + m] = mix.counts()[m];
        LinearProgram.Solution s = new LinearProgram(a, b, obj).maximize();
        return new double[] {s.objective(), s.x()[vars - 1]};
    }

    private static double pureMaxMin(double[][] c, List<HeteroJob> jobs, GpuMix mix) {
        int n = jobs.size(), types = mix.typeCount(), vars = n * types + 1;
        double[][] a = new double[2 * n + types][vars];
        double[] b = new double[2 * n + types];
        double[] obj = new double[vars];
        obj[vars - 1] = 1;
        for (int j = 0; j < n; j++) {
            a[j][vars - 1] = 1;
            for (int m = 0; m < types; m++) {
                a[j][j * types + m] = -c[j][m];
                a[n + j][j * types + m] = 1;
                a[2 * n + m][j * types + m] = jobs.get(j).gpus();
            }
            b[n + j] = 1;
        }
        for (int m = 0; m < types; m++) b[2 * n + m] = mix.counts()[m];
        return new LinearProgram(a, b, obj).maximize().objective();
    }
}
