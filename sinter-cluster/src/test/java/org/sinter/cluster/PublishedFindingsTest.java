package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.cluster.metrics.Summary;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.placement.Placement;
import org.sinter.cluster.placement.RandomPlacement;
import org.sinter.cluster.policy.Fifo;
import org.sinter.cluster.policy.Policy;
import org.sinter.cluster.policy.Sjf;
import org.sinter.cluster.policy.Srtf;
import org.sinter.cluster.policy.Tiresias;
import org.sinter.cluster.sim.Simulator;
import org.sinter.cluster.trace.SyntheticTrace;
import org.sinter.cluster.trace.Workloads;

/**
 * The sanity bars against the papers, on Philly run times when the shared data is here (a
 * generated workload otherwise; on Gavel's msr traces too when they are here): SJF and SRTF beat FIFO on average JCT, Tiresias
 * without duration knowledge is within 30% of SRTF, and consolidating placement fragments less
 * than random placement.
 */
class PublishedFindingsTest {
    private static final String CLUSTER = "64x8";

    /** 20,000 Philly run times (shuffled), the Philly GPU mix, Poisson arrivals at load 1.2; generated ones without the data. */
    private static List<Job> workload() throws IOException {
        Path runtimes = TestData.traces().map(t -> t.resolve("philly_runtime.csv")).filter(Files::isRegularFile).orElse(null);
        if (runtimes != null) {
            return Workloads.load(runtimes.toString(), ClusterSpec.parse(CLUSTER), new Workloads.Options(1.2, 0, 20_000, "v100")).jobs();
        }
        return SyntheticTrace.generate(20_000, 512, 512, 1.2, 0);
    }

    private static double avgJct(List<Job> jobs, Policy policy, Placement placement) {
        return summary(jobs, policy, placement).avgJct();
    }

    private static Summary summary(List<Job> jobs, Policy policy, Placement placement) {
        return Summary.of(Simulator.run(jobs, ClusterSpec.parse(CLUSTER), policy, placement, 0, null), 0);
    }

    @Test
    void oraclePoliciesBeatFifoAndTiresiasComesCloseToSrtf() throws IOException {
        List<Job> jobs = workload();
        double fifo = avgJct(jobs, new Fifo(), new ConsolidatePlacement());
        double sjf = avgJct(jobs, new Sjf(), new ConsolidatePlacement());
        double srtf = avgJct(jobs, new Srtf(), new ConsolidatePlacement());
        double tiresias = avgJct(jobs, new Tiresias(), new ConsolidatePlacement());
        String numbers = "avg JCT h: fifo %.2f sjf %.2f srtf %.2f tiresias %.2f".formatted(fifo / 3600, sjf / 3600, srtf / 3600, tiresias / 3600);
        assertTrue(sjf < fifo && srtf < fifo, numbers);
        assertTrue(tiresias <= 1.3 * srtf && tiresias < 0.5 * fifo, numbers);
    }

    @Test
    void onGavelsMsrTracesTiresiasIsWithin30PercentOfSrtf() throws IOException {
        // the bar on the Philly-derived traces themselves (only where the shared data is: no generated stand-in)
        Path msr = TestData.traces().map(t -> t.resolve("gavel-msr-seed0")).filter(Files::isDirectory).orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(msr != null, "Gavel's msr traces are not in ../shared/data");
        ClusterSpec spec = ClusterSpec.parse("500:0:0");
        List<Job> jobs = Workloads.load(msr.toString(), spec, new Workloads.Options(1, 0, Integer.MAX_VALUE, "v100")).jobs();
        double fifo = Summary.of(Simulator.run(jobs, spec, new Fifo(), new ConsolidatePlacement(), 0, null), 0).avgJct();
        double srtf = Summary.of(Simulator.run(jobs, spec, new Srtf(), new ConsolidatePlacement(), 0, null), 0).avgJct();
        double tiresias = Summary.of(Simulator.run(jobs, spec, new Tiresias(), new ConsolidatePlacement(), 0, null), 0).avgJct();
        String numbers = "msr avg JCT h: fifo %.2f srtf %.2f tiresias %.2f".formatted(fifo / 3600, srtf / 3600, tiresias / 3600);
        assertTrue(tiresias <= 1.3 * srtf && tiresias < 0.5 * fifo, numbers);
    }

    @Test
    void consolidationFragmentsLessThanRandomPlacement() throws IOException {
        List<Job> jobs = workload();
        double consolidated = summary(jobs, new Sjf(), new ConsolidatePlacement()).fragmentation();
        double random = summary(jobs, new Sjf(), new RandomPlacement(0)).fragmentation();
        assertTrue(consolidated < random, "fragmentation: consolidate " + consolidated + ", random " + random);
    }
}
