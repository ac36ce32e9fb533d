package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.policy.CapacityScheduler;
import org.sinter.cluster.policy.Gandiva;
import org.sinter.cluster.policy.HiveD;
import org.sinter.cluster.policy.Policy;
import org.sinter.cluster.policy.Srtf;
import org.sinter.cluster.policy.Tiresias;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Simulator;

/** Every preempting policy leaves non-preemptible jobs alone; priorities, checkpoints and migratability, on hand-worked cases. */
class JobTraitsPolicyTest {
    private static final double EXACT = 1e-9;

    /** {@code jobs} with job {@code id}'s traits changed. */
    private static List<Job> with(List<Job> jobs, int id, UnaryOperator<JobTraits> change) {
        List<Job> out = new ArrayList<>(jobs);
        out.set(id, jobs.get(id).withTraits(change.apply(jobs.get(id).traits())));
        return out;
    }

    @Test
    void srtfDoesNotPreemptANonPreemptibleJob() {
        // One node of 4. A (t=0, 100 s) runs; B (t=1, 10 s) would preempt it under SRTF (B 1-11, A ends 110).
        // A not preemptible: B waits for t=100 (JCT 109).
        List<Job> jobs = Scenarios.jobs(new double[] {0, 4, 100}, new double[] {1, 4, 10});
        SimulationResult r = Scenarios.run(jobs, "1x4", new Srtf());
        assertArrayEquals(new double[] {110, 10}, Scenarios.jcts(r), EXACT);
        SimulationResult pinned = Scenarios.run(with(jobs, 0, t -> t.withPreemptible(false)), "1x4", new Srtf());
        assertArrayEquals(new double[] {100, 109}, Scenarios.jcts(pinned), EXACT);
        assertEquals(0, Scenarios.preemptions(pinned));
    }

    @Test
    void tiresiasDoesNotPreemptANonPreemptibleJob() {
        // A long 4-GPU job is demoted once its attained service passes the first queue's threshold; a new
        // job arriving later outranks it and preempts it, unless A is not preemptible.
        List<Job> jobs = Scenarios.jobs(new double[] {0, 4, 20000}, new double[] {15000, 4, 100});
        SimulationResult r = Scenarios.run(jobs, "1x4", new Tiresias());
        assertTrue(Scenarios.preemptions(r) > 0, "the scenario must preempt when it may");
        SimulationResult pinned = Scenarios.run(with(jobs, 0, t -> t.withPreemptible(false)), "1x4", new Tiresias());
        assertEquals(0, Scenarios.preemptions(pinned));
        assertArrayEquals(new double[] {20000, 5100}, Scenarios.jcts(pinned), EXACT);
    }

    @Test
    void priorityComesBeforeRank() {
        // SRTF would let B (5 s left) preempt A (9 s left) at t=1; A's priority 1 keeps it running: A ends 10, B 10-15.
        List<Job> jobs = Scenarios.jobs(new double[] {0, 4, 10}, new double[] {1, 4, 5});
        assertArrayEquals(new double[] {15, 5}, Scenarios.jcts(Scenarios.run(jobs, "1x4", new Srtf())), EXACT);
        assertArrayEquals(new double[] {10, 14}, Scenarios.jcts(Scenarios.run(with(jobs, 0, t -> t.withPriority(1)), "1x4", new Srtf())), EXACT);
        // The other way: B (200 s) of priority 1 preempts A (100 s, 99 left) at once: B 1-201, A resumes to 300.
        List<Job> urgent = with(Scenarios.jobs(new double[] {0, 4, 100}, new double[] {1, 4, 200}), 1, t -> t.withPriority(1));
        SimulationResult r = Scenarios.run(urgent, "1x4", new Srtf());
        assertArrayEquals(new double[] {300, 200}, Scenarios.jcts(r), EXACT);
        assertEquals(1, Scenarios.preemptions(r));
    }

    @Test
    void aJobWithoutCheckpointsRestartsFromZero() {
        // A (100 s) is preempted at t=10 by B (10 s): checkpointed, it resumes at 20 with 90 s left (JCT 110);
        // without checkpoints it runs all 100 s again from 20 (JCT 120).
        List<Job> jobs = Scenarios.jobs(new double[] {0, 4, 100}, new double[] {10, 4, 10});
        assertArrayEquals(new double[] {110, 10}, Scenarios.jcts(Scenarios.run(jobs, "1x4", new Srtf())), EXACT);
        assertArrayEquals(new double[] {120, 10}, Scenarios.jcts(Scenarios.run(with(jobs, 0, t -> t.withCheckpointable(false)), "1x4", new Srtf())), EXACT);
    }

    @Test
    void aPreemptionThatAPolicyShouldNotMakeIsRefused() {
        Policy rogue = new Policy() { // starts the head, preempts whatever runs while anyone waits
            @Override
            public String name() {
                return "rogue";
            }

            @Override
            public double queueRank(org.sinter.cluster.sim.JobState j) {
                return j.job.arrival();
            }

            @Override
            public void schedule(org.sinter.cluster.sim.SchedulerContext ctx) {
                if (ctx.firstWaiting() != null) ctx.tryStart(ctx.firstWaiting());
                for (var r : List.copyOf(ctx.running())) if (ctx.waitingCount() > 0) ctx.preempt(r);
            }
        };
        List<Job> jobs = with(Scenarios.jobs(new double[] {0, 4, 100}, new double[] {1, 4, 10}), 0, t -> t.withPreemptible(false));
        var e = assertThrows(IllegalStateException.class, () -> Scenarios.run(jobs, "1x4", rogue));
        assertTrue(e.getMessage().contains("job 0 (row 0) is not preemptible"), e.getMessage());
    }

    @Test
    void gandivaNeitherSuspendsNorMovesJobsThatForbidIt() {
        // GandivaTest's cases: A is suspended after its 10 s quantum for B (JCTs 35, 14); not preemptible, FIFO's 30, 34.
        List<Job> slice = Scenarios.jobs(new double[] {0, 4, 30}, new double[] {1, 4, 5});
        SimulationResult r = Scenarios.run(with(slice, 0, t -> t.withPreemptible(false)), "1x4", new Gandiva(10));
        assertArrayEquals(new double[] {30, 34}, Scenarios.jcts(r), EXACT);
        assertEquals(0, Scenarios.preemptions(r));
        // X (1 GPU) would move off node 0 so that Z fits (Z's JCT 10); not migratable, Z waits for t=100.
        List<Job> frag = Scenarios.jobs(new double[] {0, 2, 100}, new double[] {0, 1, 100}, new double[] {0, 3, 100}, new double[] {1, 2, 10});
        for (UnaryOperator<JobTraits> pin : List.<UnaryOperator<JobTraits>>of(t -> t.withMigratable(false), t -> t.withCheckpointable(false))) {
            Gandiva g = new Gandiva(1000);
            SimulationResult m = Scenarios.run(with(frag, 1, pin), "2x4", g);
            assertArrayEquals(new double[] {100, 100, 100, 109}, Scenarios.jcts(m), EXACT);
            assertEquals(0, g.migrations());
        }
    }

    /** VirtualClusterTest's reclaim case: b fills 4 nodes of 4 at t=0 (two jobs on its guarantee, two borrowed); a's two-node job arrives at t=10. */
    private static List<Job> reclaimCase() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) jobs.add(new Job(i, "test", 0, 4, 100, "b", "row " + i));
        jobs.add(new Job(4, "test", 10, 8, 50, "a", "row 4"));
        return jobs;
    }

    @Test
    void hivedRunsNonPreemptibleJobsOnlyOnTheirOwnCells() {
        // b's jobs 2 and 3 may not be preempted, so they never run opportunistically: they wait for b's
        // own cells (t=100, JCT 200) and a's job starts at t=10 on the idle nodes, preempting nobody.
        List<Job> jobs = with(with(reclaimCase(), 2, t -> t.withPreemptible(false)), 3, t -> t.withPreemptible(false));
        VirtualClusters vcs = VirtualClusters.parse("a=2,b=2");
        SimulationResult r = Simulator.run(jobs, ClusterSpec.parse("4x4"), new HiveD(vcs, ClusterSpec.parse("4x4")), new ConsolidatePlacement(), 0, null, vcs);
        assertArrayEquals(new double[] {100, 100, 200, 200, 50}, Scenarios.jcts(r), EXACT);
        assertEquals(0, Scenarios.preemptions(r));
        assertEquals(0, r.vcViolationPasses());
        // One that could only ever run opportunistically (its VC has no guarantee) is an error, not a job that waits forever.
        List<Job> orphan = List.of(new Job(0, "test", 0, 4, 10, "x", "row 0").withTraits(JobTraits.DEFAULT.withPreemptible(false)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Simulator.run(orphan, ClusterSpec.parse("4x4"), new HiveD(vcs, ClusterSpec.parse("4x4")), new ConsolidatePlacement(), 0, null, vcs));
        assertTrue(e.getMessage().contains("row 0") && e.getMessage().contains("not preemptible"), e.getMessage());
    }

    @Test
    void capacitySchedulingDoesNotReclaimNonPreemptibleLoans() {
        // b is 8 GPUs over its guarantee; its latest jobs 2 and 3 are reclaimed for a at t=10 (VirtualClusterTest).
        // Those two not preemptible: b's other two go instead (they resume at 60, JCT 150).
        VirtualClusters vcs = VirtualClusters.parse("a=2,b=2");
        List<Job> two = with(with(reclaimCase(), 2, t -> t.withPreemptible(false)), 3, t -> t.withPreemptible(false));
        SimulationResult r = Simulator.run(two, ClusterSpec.parse("4x4"), new CapacityScheduler(vcs, ClusterSpec.parse("4x4")), new ConsolidatePlacement(), 0, null, vcs);
        assertArrayEquals(new double[] {150, 150, 100, 100, 50}, Scenarios.jcts(r), EXACT);
        assertEquals(2, Scenarios.preemptions(r));
        // None of b's preemptible: they keep the GPUs, a waits for t=100 (JCT 140), its guarantee denied meanwhile.
        List<Job> all = reclaimCase();
        for (int i = 0; i < 4; i++) all = with(all, i, t -> t.withPreemptible(false));
        SimulationResult none = Simulator.run(all, ClusterSpec.parse("4x4"), new CapacityScheduler(vcs, ClusterSpec.parse("4x4")), new ConsolidatePlacement(), 0, null, vcs);
        assertArrayEquals(new double[] {100, 100, 100, 100, 140}, Scenarios.jcts(none), EXACT);
        assertEquals(0, Scenarios.preemptions(none));
        assertTrue(none.vcViolationSeconds() > 0);
    }
}
