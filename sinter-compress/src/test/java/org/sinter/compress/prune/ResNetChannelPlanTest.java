package org.sinter.compress.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Module;
import org.sinter.nn.models.BasicBlock;
import org.sinter.nn.models.ResNet18;

/** Channel pruning across ResNet's residual groups: the narrower network computes what the masked original does. */
class ResNetChannelPlanTest {
    private static ResNet18 narrow(long seed) {
        Sinter.manualSeed(seed);
        ResNet18 m = new ResNet18(1, 10, new ResNet18.Widths(new int[] {8, 12, 16, 20}, new int[] {8, 8, 12, 12, 16, 16, 20, 20}));
        for (Module x : m.modules()) {
            if (x instanceof BatchNorm2d bn) {
                int c = bn.numFeatures;
                try (var _ = Sinter.noGrad()) {
                    bn.runningMean.copy_(Tensor.randn(c).mul(0.1));
                    bn.runningVar.copy_(Tensor.rand(c).add(0.5));
                    bn.weight.copy_(Tensor.rand(c).add(0.5));
                    bn.bias.copy_(Tensor.randn(c).mul(0.1));
                }
            }
        }
        m.eval();
        return m;
    }

    private static void check(ChannelCriterion criterion, boolean streams) {
        ResNet18 model = narrow(3);
        ResNetChannelPlan plan = ResNetChannelPlan.of(model, 0.5, criterion, streams);
        ResNet18 pruned = plan.apply();
        pruned.eval();
        assertArrayEquals(streams ? new int[] {4, 6, 8, 10} : new int[] {8, 12, 16, 20}, pruned.widths().stages());
        assertArrayEquals(new int[] {4, 4, 6, 6, 8, 8, 10, 10}, pruned.widths().inner());
        // Within a stage every writer of the residual stream keeps the same channels: the shortcuts add them index by index.
        BasicBlock first = pruned.blocks().get(2);
        assertEquals(first.conv2().outChannels, first.downsampleConv().outChannels);
        Tensor x = Tensor.rand(3, 1, 28, 28);
        Tensor got, want;
        try (var _ = Sinter.noGrad()) {
            got = pruned.forward(x);
            plan.maskOriginal();
            want = model.forward(x);
        }
        assertTrue(got.allclose(want, 1e-4, 1e-4), criterion + ": pruned ResNet differs from the masked original, max diff "
                + got.sub(want).abs().max().item());
        long[] counts = plan.parameterCounts(pruned);
        assertTrue(counts[1] < counts[0] * (streams ? 0.35 : 0.75), "parameters " + counts[0] + " -> " + counts[1]);
    }

    @Test
    void l1NormPruningOfInnerAndStreamChannels() {
        check(ChannelCriterion.L1_NORM, true);
    }

    @Test
    void bnScalePruningOfInnerChannelsOnly() {
        check(ChannelCriterion.BN_SCALE, false);
    }

    @Test
    void theStandardResNetHalvesToTheExpectedWidths() {
        ResNet18 model = new ResNet18();
        ResNet18 pruned = ResNetChannelPlan.of(model, 0.5, ChannelCriterion.L1_NORM, true).apply();
        assertArrayEquals(new int[] {32, 64, 128, 256}, pruned.widths().stages());
        // The pruned model's state dict keeps torchvision's names (it saves and loads as a ResNet-18 of these widths).
        assertEquals(model.stateDict().keySet(), pruned.stateDict().keySet());
    }
}
