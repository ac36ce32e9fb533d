package org.sinter.compress.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.BatchNorm;
import org.sinter.nn.BatchNorm1d;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Dropout;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.LogSoftmax;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.Sigmoid;

/** Structured pruning gives a smaller ordinary model that computes what the original with the same channels zeroed computes. */
class ChannelPrunerTest {
    static Sequential bnCnn() {
        return new Sequential(new Conv2d(1, 8, 3), new BatchNorm2d(8), new ReLU(),
                new Conv2d(8, 16, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, false, "zeros"),
                new BatchNorm2d(16), new ReLU(), new MaxPool2d(2), new Dropout(0.25), new Flatten(),
                new Linear(16 * 5 * 5, 32), new BatchNorm1d(32), new ReLU(), new Dropout(0.5), new Linear(32, 10), new LogSoftmax(1));
    }

    /** Gives batch norms non-trivial statistics and scales, as after training. */
    static void randomizeBatchNorms(Module model) {
        try (var _ = Sinter.noGrad()) {
            for (Module m : model.modules()) {
                if (m instanceof BatchNorm b) {
                    b.weight.copy_(Tensor.randn(b.numFeatures));
                    b.bias.copy_(Tensor.randn(b.numFeatures));
                    b.runningMean.copy_(Tensor.randn(b.numFeatures));
                    b.runningVar.copy_(Tensor.rand(b.numFeatures).add(0.5));
                }
            }
        }
    }

    static long params(Module m) {
        return m.parameters().stream().mapToLong(Tensor::numel).sum();
    }

    static void assertSameOutputs(Module a, Module b, Tensor x) {
        try (var _ = Sinter.noGrad()) {
            float[] want = a.forward(x).toFloatArray(), got = b.forward(x).toFloatArray();
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-4f * (1 + Math.abs(want[i])), "output " + i);
        }
    }

    @Test
    void l1PruningShrinksLayersAndNeighboursAndKeepsTheMaskedFunction() {
        Sinter.manualSeed(7);
        Sequential model = bnCnn();
        randomizeBatchNorms(model);
        model.eval();
        ChannelPlan plan = ChannelPruner.plan(model, 0.5, ChannelCriterion.L1_NORM, true);
        assertEquals(3, plan.units().size(), plan.toString());
        Sequential small = plan.apply();
        small.eval();
        assertEquals(4, ((Conv2d) small.get(0)).outChannels);
        assertEquals(4, ((BatchNorm) small.get(1)).numFeatures);
        assertEquals(4, ((Conv2d) small.get(3)).inChannels);
        assertEquals(8, ((Conv2d) small.get(3)).outChannels);
        assertEquals(8, ((BatchNorm) small.get(4)).numFeatures);
        assertEquals(8 * 25, ((Linear) small.get(9)).inFeatures);
        assertEquals(16, ((Linear) small.get(9)).outFeatures);
        assertEquals(16, ((BatchNorm) small.get(10)).numFeatures);
        assertEquals(16, ((Linear) small.get(13)).inFeatures);
        assertEquals(10, ((Linear) small.get(13)).outFeatures);
        assertTrue(params(small) < params(model) / 2.5, params(small) + " of " + params(model));
        Tensor x = Tensor.randn(5, 1, 12, 12);
        plan.maskOriginal();
        assertSameOutputs(model, small, x);
    }

    @Test
    void l1PruningKeepsTheFiltersOfLargestNorm() {
        Sinter.manualSeed(8);
        Sequential model = new Sequential(new Conv2d(2, 4, 3), new ReLU(), new Flatten(), new Linear(4 * 4 * 4, 3));
        try (var _ = Sinter.noGrad()) {
            Conv2d c = (Conv2d) model.get(0);
            for (int oc = 0; oc < 4; oc++) c.weight.narrow(0, oc, 1).fill_(new double[] {0.5, -0.1, 0.05, -2}[oc]);
        }
        ChannelPlan plan = ChannelPruner.plan(model, 0.5, ChannelCriterion.L1_NORM, false);
        assertArrayEquals(new int[] {0, 3}, plan.units().get(0).kept());
        Sequential small = plan.apply();
        Tensor x = Tensor.randn(2, 2, 6, 6);
        plan.maskOriginal();
        assertSameOutputs(model, small, x);
    }

    @Test
    void networkSlimmingRanksByBatchNormScaleAndItsPenaltyPushesScalesDown() {
        Sinter.manualSeed(9);
        Sequential model = bnCnn();
        randomizeBatchNorms(model);
        BatchNorm bn = (BatchNorm) model.get(1);
        try (var _ = Sinter.noGrad()) {
            bn.weight.copy_(Tensor.of(new float[] {0.01f, -3f, 0.2f, 2f, -0.001f, 1f, 0.5f, -0.3f}));
        }
        model.eval();
        ChannelPlan plan = ChannelPruner.plan(model, 0.5, ChannelCriterion.BN_SCALE, false);
        assertArrayEquals(new int[] {1, 3, 5, 6}, plan.units().get(0).kept());
        Sequential small = plan.apply();
        small.eval();
        Tensor x = Tensor.randn(3, 1, 12, 12);
        plan.maskOriginal();
        assertSameOutputs(model, small, x);

        // The L1 subgradient: sign(gamma) * lambda added to the scale's gradient.
        Sequential fresh = bnCnn();
        BatchNorm b0 = (BatchNorm) fresh.get(1);
        try (var _ = Sinter.noGrad()) {
            b0.weight.copy_(Tensor.of(new float[] {1, -1, 2, -2, 1, 1, 1, 1}));
        }
        fresh.zeroGrad();
        BnL1Penalty.apply(fresh, 1e-2);
        assertArrayEquals(new float[] {0.01f, -0.01f, 0.01f, -0.01f, 0.01f, 0.01f, 0.01f, 0.01f}, b0.weight.grad().toFloatArray(), 1e-7f);
    }

    @Test
    void unprunableModelsAreClearErrors() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ChannelPruner.plan(new Sequential(new Conv2d(1, 4, 3), new Sigmoid(), new Conv2d(4, 4, 3)), 0.5, ChannelCriterion.L1_NORM, false));
        assertTrue(e.getMessage().contains("no prunable layer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ChannelPruner.plan(new Sequential(new Conv2d(1, 4, 3), new ReLU(), new Conv2d(4, 4, 3)), 0.5, ChannelCriterion.BN_SCALE, false));
        assertTrue(e.getMessage().contains("not followed by an affine BatchNorm"), e.getMessage());
    }
}
