package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.policy.Fifo;
import org.sinter.cluster.policy.Policies;
import org.sinter.cluster.policy.Policy;
import org.sinter.cluster.sim.GpuSpeeds;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Simulator;
import org.junit.jupiter.api.Test;

/** The event simulator on a cluster of several GPU types: speeds per type, type constraints, type-aware choices (worked by hand). */
class HeterogeneousEventTest {
    /** One V100 node and one K80 node of one GPU each. */
    static final ClusterSpec V100_K80 = new ClusterSpec(2, 1, 16, List.of("v100", "k80"), new int[] {1, 1});

    /** Per-job {V100 seconds, K80 seconds}, by id; a job's reference duration is its V100 one. */
    static GpuSpeeds speeds(double[][] byType) {
        return (job, t) -> byType[job.id()][t];
    }

    static List<Job> atZero(double[][] byType) {
        return java.util.stream.IntStream.range(0, byType.length).mapToObj(i -> new Job(i, "t", 0, 1, byType[i][0], "vc", "row " + i)).toList();
    }

    static double[] jcts(List<Job> jobs, double[][] byType, Policy policy) {
        SimulationResult r = Simulator.run(jobs, V100_K80, speeds(byType), policy, new ConsolidatePlacement(), 0, null, null);
        return Scenarios.jcts(r);
    }

    @Test
    void typeAwareChoicesDifferWhereComparativeAdvantageMatters() {
        // A loses little on a K80 (100 -> 150 s), B a lot (100 -> 400 s). Both arrive at 0, A first.
        double[][] d = {{100, 150}, {100, 400}};
        List<Job> jobs = atZero(d);
        // Blind FIFO: best fit, ties to the lowest node: A on the V100, B on the K80.
        assertArrayEquals(new double[] {100, 400}, jcts(jobs, d, new Fifo()), 1e-9);
        // Fastest type: A takes the V100 (100 s), B is left the K80.
        assertArrayEquals(new double[] {100, 400}, jcts(jobs, d, Policies.of("fifo-perf")), 1e-9);
        // Affinity: mean K80 speed (1/1.5 + 1/4) / 2 = 0.458; A's 0.667 is 1.45x that, above its V100 score of 1:
        // A takes the K80 (150 s) and B the V100 (100 s): average 125 s instead of 250 s.
        assertArrayEquals(new double[] {150, 100}, jcts(jobs, d, Policies.of("fifo-affinity")), 1e-9);
    }

    @Test
    void workDoneIsKeptWhenAJobMovesBetweenTypes() {
        // A runs 100 s on the K80 (5% of its 2,000 s there), then moves to the V100: 95% of 1,000 s left, done at 1,050.
        double[][] d = {{1000, 2000}};
        Policy mover = new Policy() {
            @Override public String name() { return "mover"; }
            @Override public double queueRank(JobState j) { return 0; }
            @Override public void schedule(SchedulerContext ctx) {
                JobState j = ctx.firstWaiting();
                if (ctx.now() == 0 && j != null) ctx.tryStartOn(j, 1);
                if (ctx.now() == 100) {
                    JobState r = ctx.running().iterator().next();
                    ctx.preempt(r);
                    ctx.tryStartOn(r, 0);
                }
            }
            @Override public double nextWakeup(SchedulerContext ctx) { return ctx.now() < 100 ? 100 : Double.POSITIVE_INFINITY; }
        };
        SimulationResult r = Simulator.run(atZero(d), V100_K80, speeds(d), mover, new ConsolidatePlacement(), 0, null, null);
        assertEquals(1050, r.jobs().getFirst().finish(), 1e-9);
        assertEquals(0, r.jobs().getFirst().gpuType(), "it ended on the V100");
    }

    @Test
    void aJobNeverRunsOnATypeItCannotRunOn() {
        // Neither A nor B runs on a K80 (Gavel measured no throughput there). Blind FIFO puts A on the
        // V100; B waits for it rather than landing on the idle K80, and C, behind B in strict order,
        // starts when B does (t = 100), on the K80: 80 s there.
        double inf = Double.POSITIVE_INFINITY;
        double[][] d = {{100, inf}, {100, inf}, {50, 80}};
        assertArrayEquals(new double[] {100, 200, 180}, jcts(atZero(d), d, new Fifo()), 1e-9);
        // SJF by V100 duration: C (50 s) first takes the V100, where it is fastest; A and B can only wait for it.
        assertArrayEquals(new double[] {150, 250, 50}, jcts(atZero(d), d, Policies.of("sjf-perf")), 1e-9);
    }

    @Test
    void aJobThatFitsNoTypeItRunsOnNamesItsLine() {
        double inf = Double.POSITIVE_INFINITY;
        double[][] d = {{inf, inf}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Simulator.run(atZero(d), V100_K80, speeds(d), new Fifo(), new ConsolidatePlacement(), 0, null, null));
        assertTrue(e.getMessage().contains("row 0"), e.getMessage());
    }

    @Test
    void gavelSpecsOfSeveralTypesAreBlocksOfNodes() {
        ClusterSpec s = ClusterSpec.parse("8:0:4");
        assertEquals(List.of("v100", "k80"), s.typeNames());
        assertArrayEquals(new int[] {2, 1}, s.typeNodes());
        assertEquals(8, s.largestTypeGpus());
        Cluster c = s.newCluster();
        assertEquals(0, c.typeOf(1));
        assertEquals(1, c.typeOf(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterSpec.parse("6:4:4"));
        assertTrue(e.getMessage().contains("6 v100 GPUs"), e.getMessage());
    }

    @Test
    void aGangStaysWithinOneType() {
        // 8 GPUs in all (4 V100 + 4 K80), but a 6-GPU job needs 6 of one type: it can never run, and says so.
        ClusterSpec spec = ClusterSpec.parse("4:0:4");
        List<Job> jobs = List.of(new Job(0, "t", 0, 6, 10, "vc", "row 0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Simulator.run(jobs, spec, (job, t) -> 10.0, new Fifo(), new ConsolidatePlacement(), 0, null, null));
        assertTrue(e.getMessage().contains("row 0") && e.getMessage().contains("of one type"), e.getMessage());
    }
}
