package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.sinter.cluster.metrics.FinishTimeFairness;
import org.sinter.cluster.metrics.Summary;
import org.sinter.cluster.policy.Fifo;
import org.sinter.cluster.sim.SimulationResult;

/** Themis' finish-time fairness on workloads worked by hand. */
class FinishTimeFairnessTest {
    @Test
    void twoWholeClusterJobsUnderFifo() {
        // Both need all 4 GPUs, arrive together, run 100 s each: A runs first (JCT 100), B waits (JCT 200).
        SimulationResult r = Scenarios.run(Scenarios.jobs(new double[] {0, 4, 100}, new double[] {0, 4, 100}), "1x4", new Fifo());
        FinishTimeFairness f = FinishTimeFairness.of(r);
        // A: 2 jobs contend all its life, its share is 2 GPUs of the 4 it needs: T_id = 200, ρ = 100/200.
        assertEquals(0.5, f.rho()[0], 1e-9);
        // B: 2 jobs for 100 s then 1 for 100 s, N = 1.5: T_id = 150, ρ = 200/150.
        assertEquals(4.0 / 3, f.rho()[1], 1e-9);
        assertEquals(4.0 / 3, f.max(), 1e-9);
        assertEquals(0.5, f.fractionAboveOne(), 1e-12);
        Summary s = Summary.of(r, 0);
        assertEquals(4.0 / 3, s.maxFinishTimeFairness(), 1e-9);
        assertEquals(0.5, s.unfairFraction(), 1e-12);
    }

    @Test
    void jobsThatNeverShareAreExactlyFair() {
        // One-GPU jobs on 4 GPUs, never more than 4 at once, and disjoint in time: every ρ is 1.
        SimulationResult r = Scenarios.run(Scenarios.jobs(new double[] {0, 1, 50}, new double[] {0, 2, 30}, new double[] {100, 4, 10}),
                "1x4", new Fifo());
        FinishTimeFairness f = FinishTimeFairness.of(r);
        assertArrayEquals(new double[] {1, 1, 1}, f.rho(), 1e-9);
        assertEquals(0, f.fractionAboveOne());
    }

    @Test
    void smallJobStuckBehindALongOneIsUnfair() {
        // A 4-GPU job of 1000 s, then a 1-GPU job of 10 s arriving at 1: under FIFO it waits 999 s.
        SimulationResult r = Scenarios.run(Scenarios.jobs(new double[] {0, 4, 1000}, new double[] {1, 1, 10}), "1x4", new Fifo());
        FinishTimeFairness f = FinishTimeFairness.of(r);
        // Its share with 2 contenders is 2 GPUs >= the 1 it needs: T_id = 10, ρ = JCT / 10 = 100.9.
        assertEquals(100.9, f.rho()[1], 1e-9);
        assertEquals(f.rho()[1], f.max(), 0);
    }
}
