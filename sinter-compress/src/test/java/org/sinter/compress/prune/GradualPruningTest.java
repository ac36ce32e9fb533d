package org.sinter.compress.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;

/** AGP's cubic, the gradual pruner in a training loop (momentum cannot revive pruned weights), and the report. */
class GradualPruningTest {
    @Test
    void agpFollowsZhuAndGuptasCubic() {
        AgpSchedule s = new AgpSchedule(0.1, 0.9, 100, 500, 50);
        assertEquals(0, s.sparsityAt(99));
        assertEquals(0.1, s.sparsityAt(100), 1e-12);
        // s_t = s_f + (s_i - s_f)(1 - (t - t0)/(n dt))^3 at a quarter of the way: 0.9 - 0.8 * 0.75^3.
        assertEquals(0.9 - 0.8 * Math.pow(0.75, 3), s.sparsityAt(200), 1e-12);
        assertEquals(0.9, s.sparsityAt(500), 1e-12);
        assertEquals(0.9, s.sparsityAt(10_000), 1e-12);
        assertTrue(s.isPruningStep(150) && s.isPruningStep(500));
        assertFalse(s.isPruningStep(151) || s.isPruningStep(550) || s.isPruningStep(50));
        assertThrows(IllegalArgumentException.class, () -> new AgpSchedule(0.5, 0.4, 0, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new AgpSchedule(0, 0.9, 10, 5, 1));
    }

    @Test
    void gradualPruningReachesTheTargetDuringTrainingAndStaysThere() {
        Sinter.manualSeed(12);
        Sequential model = new Sequential(new Linear(20, 40), new ReLU(), new Linear(40, 3));
        Pruner pruner = new Pruner();
        GradualPruner agp = new GradualPruner(pruner, PruneTarget.weightsOf(model), new AgpSchedule(0, 0.8, 0, 30, 5), false);
        SGD opt = new SGD(model.parameters(), SGD.options().lr(0.05).momentum(0.9).weightDecay(1e-3));
        double previous = 0;
        for (int step = 0; step <= 40; step++) {
            Tensor x = Tensor.randn(16, 20);
            opt.zeroGrad();
            F.crossEntropy(model.forward(x), x.narrow(1, 0, 3).argmax(1, false)).backward();
            opt.step();
            agp.step(step);
            double now = SparsityReport.of(model).globalSparsity();
            assertTrue(now >= previous - 1e-12, "sparsity never drops: " + previous + " -> " + now + " at step " + step);
            previous = now;
        }
        SparsityReport r = SparsityReport.of(model);
        assertEquals(0.8, r.layer("0.weight").sparsity(), 1e-3, r.toString());
        assertEquals(0.8, r.layer("2.weight").sparsity(), 1e-2, r.toString());
        assertTrue(r.toString().contains("total"), r.toString());
    }

    @Test
    void globalGradualPruningHitsTheOverallTarget() {
        Sinter.manualSeed(13);
        Sequential model = new Sequential(new Linear(30, 50), new ReLU(), new Linear(50, 4));
        GradualPruner agp = new GradualPruner(new Pruner(), PruneTarget.weightsOf(model), new AgpSchedule(0, 0.9, 0, 10, 2), true);
        for (int step = 0; step <= 10; step++) agp.step(step);
        assertEquals(0.9, SparsityReport.of(model).globalSparsity(), 1e-3);
    }

    @Test
    void lotteryTicketRewindsSurvivorsToTheEarlyIterate() {
        Sinter.manualSeed(14);
        Sequential model = new Sequential(new Linear(10, 30), new ReLU(), new Linear(30, 2));
        List<PruneTarget> targets = PruneTarget.weightsOf(model);
        LotteryTicket ticket = new LotteryTicket(model, targets);
        SGD opt = new SGD(model.parameters(), 0.1);
        Runnable train = () -> {
            for (int i = 0; i < 20; i++) {
                Tensor x = Tensor.randn(8, 10);
                opt.zeroGrad();
                F.crossEntropy(model.forward(x), x.narrow(1, 0, 2).argmax(1, false)).backward();
                opt.step();
                ticket.pruner().applyMasks();
            }
        };
        train.run();
        ticket.rewindPoint();
        float[] early = model.namedParameters().get("0.weight").toFloatArray();
        for (int round = 1; round <= 3; round++) {
            train.run();
            ticket.pruneAndRewind(0.5);
            assertEquals(1 - Math.pow(0.5, round), ticket.sparsity(), 2e-3, "round " + round);
            float[] w = model.namedParameters().get("0.weight").toFloatArray();
            float[] mask = ticket.pruner().mask(targets.get(0).module(), "weight").toFloatArray();
            for (int i = 0; i < w.length; i++) assertEquals(mask[i] == 0 ? 0f : early[i], w[i], 0f, "weight " + i + " after round " + round);
        }
    }

    @Test
    void movementPruningKeepsWeightsThatMoveAwayFromZero() {
        // y = 2 x0 - 3 x1; the weights start small on the useful inputs and large on the useless ones,
        // so magnitude pruning to 2 of 8 would keep the useless ones; movement keeps the useful ones.
        Linear lin = new Linear(8, 1, false);
        try (var _ = Sinter.noGrad()) {
            lin.weight.copy_(Tensor.of(new float[] {0.01f, -0.01f, 0.2f, -0.2f, 0.3f, 0.25f, -0.3f, 0.22f}, 1, 8));
        }
        MovementPruner mp = new MovementPruner(List.of(new PruneTarget(lin, "weight")), new AgpSchedule(0, 0.75, 0, 150, 1), 1.0);
        SGD opt = new SGD(lin.parameters(), 0.05);
        Sinter.manualSeed(15);
        for (int step = 0; step < 200; step++) {
            Tensor x = Tensor.randn(32, 8);
            Tensor y = x.narrow(1, 0, 1).mul(2).sub(x.narrow(1, 1, 1).mul(3));
            mp.beforeForward();
            opt.zeroGrad();
            F.mseLoss(lin.forward(x), y).backward();
            mp.afterBackward();
            opt.step();
        }
        mp.finish();
        float[] w = lin.weight.toFloatArray();
        float[] mask = mp.mask(0);
        assertEquals(1f, mask[0], java.util.Arrays.toString(w));
        assertEquals(1f, mask[1], java.util.Arrays.toString(w));
        int kept = 0;
        for (float m : mask) kept += (int) m;
        assertEquals(2, kept);
        assertEquals(2f, w[0], 0.1f);
        assertEquals(-3f, w[1], 0.1f);
        for (int i = 2; i < 8; i++) assertEquals(0f, w[i], 0f);
    }
}
