package org.sinter.optim.lr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.Tensor;
import org.sinter.optim.SGD;

/** Scheduler mechanics beyond the PyTorch fixtures: closed-form jumps, warm-up chaining, checkpoints. */
class SchedulerTest {
    private static SGD sgd(double lr) {
        return new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), lr);
    }

    @Test
    void closedFormJumpMatchesStepping() {
        SGD a = sgd(1), b = sgd(1);
        CosineAnnealingLR stepped = new CosineAnnealingLR(a, 10, 0.01);
        CosineAnnealingLR jumped = new CosineAnnealingLR(b, 10, 0.01);
        for (int i = 0; i < 7; i++) stepped.step();
        jumped.step(7);
        assertEquals(stepped.getLastLr()[0], jumped.getLastLr()[0], 1e-12);
        SGD c = sgd(1);
        StepLR s = new StepLR(c, 3, 0.5);
        s.step(7);
        assertEquals(0.25, c.paramGroups().get(0).lr(), 1e-15);
    }

    @Test
    void warmupThenDecay() {
        SGD opt = sgd(1);
        SequentialLR s = new SequentialLR(opt, List.of(new LinearLR(opt, 0.25, 1, 3), new ExponentialLR(opt, 0.5)), new int[] {3});
        double[] lrs = new double[7];
        lrs[0] = opt.paramGroups().get(0).lr();
        for (int e = 1; e < 7; e++) {
            s.step();
            lrs[e] = opt.paramGroups().get(0).lr();
        }
        assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1, 0.5, 0.25, 0.125}, lrs, 1e-12);
    }

    @Test
    void resumesFromItsState() {
        SGD a = sgd(0.1);
        MultiStepLR s = new MultiStepLR(a, new int[] {2, 4});
        for (int i = 0; i < 3; i++) s.step();
        SGD b = sgd(0.1);
        b.paramGroups().get(0).setLr(a.paramGroups().get(0).lr());
        MultiStepLR r = new MultiStepLR(b, new int[] {2, 4});
        r.loadState(s.stateTensors(), s.stateValues());
        b.paramGroups().get(0).setLr(a.paramGroups().get(0).lr());
        s.step();
        r.step();
        assertEquals(a.paramGroups().get(0).lr(), b.paramGroups().get(0).lr(), 1e-15);
        assertEquals(4, r.lastEpoch());
    }

    @Test
    void oneCycleRejectsSteppingPastTheEnd() {
        OneCycleLR s = new OneCycleLR(sgd(0.1), 1.0, OneCycleLR.options().totalSteps(3));
        s.step();
        s.step();
        s.step();
        assertThrows(IllegalStateException.class, s::step);
    }

    @Test
    void plateauCutsAfterPatience() {
        SGD opt = sgd(1);
        ReduceLROnPlateau p = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().patience(1).factor(0.5));
        p.step(1);
        p.step(1);
        assertEquals(1, opt.paramGroups().get(0).lr());
        p.step(1);
        assertEquals(0.5, opt.paramGroups().get(0).lr());
    }
}
